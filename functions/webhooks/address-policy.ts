import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIPv4, isIPv6 } from 'node:net';
import { ValidationError } from '../domain/errors.js';
import { EVENT_ENV } from '../events/plumbing.js';

/**
 * Where webhooks may go (SSRF guard). A subscriber chooses the URL, so the URL must not let it
 * reach the product's own network: loopback, private, link-local (cloud metadata), shared,
 * reserved, multicast or documentation addresses, in IPv4 or any IPv6 form that embeds one.
 *
 * Three layers: `validateWebhookUrl` when a subscription is saved (syntax, scheme, host name),
 * `resolveAndCheck` for every address a name resolves to, and the sender applies the latter as
 * the socket's `lookup`, so the address checked is the address connected to.
 */

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/**
 * Ports a webhook URL may name (besides a stage's `allowedWebhookPorts`): with any port, a
 * subscriber could probe which services answer on hosts we reach, one failed delivery at a time.
 */
export const WEBHOOK_PORTS: readonly number[] = [443, 80];

/** The stage's extra ports, as CDK (or the local runtime) set them: `8443,9443`, or nothing. */
export const allowedWebhookPortsFromEnv = (): number[] => {
  const text = process.env[EVENT_ENV.allowedWebhookPorts] ?? '';
  const ports = text === '' ? [] : text.split(',').map((port) => Number(port.trim()));
  if (ports.some((port) => !Number.isInteger(port) || port < 1 || port > 65_535)) {
    throw new Error(`${EVENT_ENV.allowedWebhookPorts} must list ports (1–65535), comma-separated`);
  }
  return ports;
};

/** Host names allowed over plain http, and to be loopback, when `allowLocalhost` (the local stage). */
const LOCAL_DEV_HOSTNAMES: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Top-level names that are never a subscriber's public endpoint: special-use names (RFC 6761,
 * RFC 6762, RFC 8375, RFC 7686) and names commonly used for internal networks (incl. cloud
 * metadata such as `metadata.google.internal` and `instance-data.ec2.internal`).
 */
const INTERNAL_TOP_LEVEL_NAMES: ReadonlySet<string> = new Set([
  'localhost',
  'local',
  'localdomain',
  'internal',
  'intranet',
  'lan',
  'home',
  'corp',
  'arpa',
  'invalid',
  'test',
  'onion',
]);

// ---------------------------------------------------------------------------------------------
// Addresses

type Prefix = readonly [bytes: readonly number[], bits: number];

/** IPv4 ranges never reachable by a webhook (IANA special-purpose registry and more). */
const FORBIDDEN_V4: readonly Prefix[] = [
  [[0, 0, 0, 0], 8], // "this network", incl. 0.0.0.0 (unspecified)
  [[10, 0, 0, 0], 8], // private
  [[100, 64, 0, 0], 10], // shared address space (carrier-grade NAT)
  [[127, 0, 0, 0], 8], // loopback
  [[169, 254, 0, 0], 16], // link-local, incl. 169.254.169.254 (cloud metadata)
  [[172, 16, 0, 0], 12], // private
  [[192, 0, 0, 0], 24], // IETF protocol assignments
  [[192, 0, 2, 0], 24], // documentation (TEST-NET-1)
  [[192, 88, 99, 0], 24], // 6to4 relay anycast (deprecated)
  [[192, 168, 0, 0], 16], // private
  [[198, 18, 0, 0], 15], // benchmarking
  [[198, 51, 100, 0], 24], // documentation (TEST-NET-2)
  [[203, 0, 113, 0], 24], // documentation (TEST-NET-3)
  [[224, 0, 0, 0], 4], // multicast
  [[240, 0, 0, 0], 4], // reserved, incl. 255.255.255.255 (limited broadcast)
];

/**
 * IPv6 ranges refused even though inside global unicast 2000::/3 (everything outside 2000::/3 is
 * refused, except NAT64 64:ff9b::/96 to an allowed IPv4 address).
 */
const FORBIDDEN_V6_IN_GLOBAL: readonly Prefix[] = [
  [[0x20, 0x01, 0x00, 0x00], 23], // IETF protocol assignments, incl. Teredo 2001::/32 and ORCHID
  [[0x20, 0x01, 0x0d, 0xb8], 32], // documentation
  [[0x3f, 0xff, 0x00, 0x00], 20], // documentation
];

function inPrefix(address: Uint8Array, [bytes, bits]: Prefix): boolean {
  for (let bit = 0; bit < bits; bit += 8) {
    const remaining = Math.min(8, bits - bit);
    const mask = (0xff << (8 - remaining)) & 0xff;
    const index = bit / 8;
    if (((address[index] ?? 0) & mask) !== ((bytes[index] ?? 0) & mask)) return false;
  }
  return true;
}

function parseIPv4(text: string): Uint8Array | undefined {
  if (!isIPv4(text)) return undefined;
  return Uint8Array.from(text.split('.').map(Number));
}

/** The 16 bytes of an IPv6 address without a zone (`%eth0`), or undefined. */
function parseIPv6(text: string): Uint8Array | undefined {
  if (!isIPv6(text) || text.includes('%')) return undefined;
  let groupsText = text;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIPv4(tail);
    if (!v4) return undefined;
    const hex = (high: number, low: number) => ((high << 8) | low).toString(16);
    groupsText = `${text.slice(0, lastColon + 1)}${hex(v4[0] ?? 0, v4[1] ?? 0)}:${hex(v4[2] ?? 0, v4[3] ?? 0)}`;
  }
  const [head = '', rest] = groupsText.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = 8 - headGroups.length - restGroups.length;
  const groups =
    rest === undefined ? headGroups : [...headGroups, ...Array<string>(missing).fill('0'), ...restGroups];
  if (groups.length !== 8) return undefined;
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const value = Number.parseInt(group, 16);
    bytes[2 * i] = value >> 8;
    bytes[2 * i + 1] = value & 0xff;
  });
  return bytes;
}

function isForbiddenV4(address: Uint8Array): boolean {
  return FORBIDDEN_V4.some((prefix) => inPrefix(address, prefix));
}

function isForbiddenV6(address: Uint8Array): boolean {
  // NAT64 (RFC 6052 well-known prefix): the IPv4 address is the last 32 bits.
  if (inPrefix(address, [[0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], 96])) {
    return isForbiddenV4(address.subarray(12));
  }
  // Everything else outside global unicast: unspecified, loopback, IPv4-mapped ::ffff:0:0/96,
  // IPv4-compatible ::/96, SIIT ::ffff:0:0:0/96, local-use NAT64 64:ff9b:1::/48, discard 100::/64,
  // SRv6 5f00::/16, unique local fc00::/7 (incl. AWS metadata fd00:ec2::254), link-local fe80::/10,
  // site-local fec0::/10, multicast ff00::/8.
  if (!inPrefix(address, [[0x20], 3])) return true;
  if (FORBIDDEN_V6_IN_GLOBAL.some((prefix) => inPrefix(address, prefix))) return true;
  // 6to4 (RFC 3056): the IPv4 address is bits 16–47.
  if (inPrefix(address, [[0x20, 0x02], 16])) return isForbiddenV4(address.subarray(2, 6));
  return false;
}

/**
 * True when a webhook must not connect to `ip`. Accepts dotted IPv4 and IPv6 (with or without
 * brackets). Anything that is not a plain IP address, or an IPv6 address with a zone, is forbidden.
 */
export function isForbiddenAddress(ip: string): boolean {
  const text = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const v4 = parseIPv4(text);
  if (v4) return isForbiddenV4(v4);
  const v6 = parseIPv6(text);
  if (v6) return isForbiddenV6(v6);
  return true;
}

/** 127.0.0.0/8 and ::1: the addresses `allowLocalhost` lets through. */
export function isLoopbackAddress(ip: string): boolean {
  const text = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const v4 = parseIPv4(text);
  if (v4) return v4[0] === 127;
  const v6 = parseIPv6(text);
  return v6?.every((byte, i) => byte === (i === 15 ? 1 : 0)) ?? false;
}

function isAllowedAddress(ip: string, allowLocalhost: boolean): boolean {
  return !isForbiddenAddress(ip) || (allowLocalhost && isLoopbackAddress(ip));
}

// ---------------------------------------------------------------------------------------------
// URLs

function refuse(message: string, cause?: unknown): never {
  throw new ValidationError(`The webhook URL is not allowed: ${message}`, [{ field: 'url', message }], {
    cause,
  });
}

/** `[::1]` → `::1`; other host names unchanged. */
export function bareHostname(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/**
 * Checks a subscriber's webhook URL without resolving it and returns it parsed. Throws
 * ValidationError (field `url`) unless it is an absolute https URL of at most 2048 characters,
 * without credentials or fragment, whose host is a public name or a public IP address. With
 * `allowLocalhost` (the local stage), `localhost`, `127.0.0.1` and `[::1]` are allowed too, over
 * http or https, on any port; every other host only on 443, 80 or one of `allowedPorts`.
 */
export function validateWebhookUrl(
  url: string,
  options: { allowLocalhost: boolean; allowedPorts?: readonly number[] | undefined },
): URL {
  if (typeof url !== 'string' || url === '') refuse('a URL is required');
  if (url.length > MAX_WEBHOOK_URL_LENGTH) refuse(`it is longer than ${MAX_WEBHOOK_URL_LENGTH} characters`);
  // The URL parser would silently drop these; a URL that relies on that is refused instead.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\s\u0000-\u001f\u007f]/.test(url)) refuse('it contains spaces or control characters');
  if (!URL.canParse(url)) refuse('it is not an absolute URL');
  const parsed = new URL(url);

  const localDev = options.allowLocalhost && LOCAL_DEV_HOSTNAMES.has(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && localDev)) {
    refuse(options.allowLocalhost ? 'it must use https (or http to localhost)' : 'it must use https');
  }
  if (parsed.username !== '' || parsed.password !== '') refuse('it must not contain a user name or password');
  if (url.includes('#')) refuse('it must not contain a fragment (#)');
  if (parsed.port === '0') refuse('port 0 is not allowed');
  if (localDev) return parsed;
  // An empty port is the scheme's own (443 or 80): the parser drops it when it is written out.
  const ports = [...WEBHOOK_PORTS, ...(options.allowedPorts ?? [])];
  if (parsed.port !== '' && !ports.includes(Number(parsed.port))) {
    refuse(`its port must be one of ${ports.join(', ')}`);
  }

  const hostname = parsed.hostname;
  if (hostname.startsWith('[') || isIPv4(hostname)) {
    if (isForbiddenAddress(hostname)) refuse('its host is a private, loopback or reserved IP address');
    return parsed;
  }
  // The URL parser has lower-cased the name and turned international names into punycode.
  const name = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  const labels = name.split('.');
  const topLevel = labels[labels.length - 1] ?? '';
  if (labels.length < 2 || labels.some((label) => label === '')) {
    refuse('its host must be a fully qualified domain name');
  }
  if (INTERNAL_TOP_LEVEL_NAMES.has(topLevel) || name === 'metadata.google.internal') {
    refuse('its host is a local or internal name');
  }
  return parsed;
}

/** The refusal of a name that does not resolve (the sender reports it like any failed connect). */
export const UNRESOLVED = 'its host name could not be resolved';

/** Resolves a name to all its addresses, like `dns.promises.lookup(name, { all: true })`. */
export type Resolver = (hostname: string, options: { all: true }) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (hostname, options) => dnsLookup(hostname, options);

/**
 * Resolves `hostname` to all its A/AAAA addresses and returns them, or throws ValidationError
 * (field `url`) when it does not resolve or when any address is forbidden (loopback is allowed
 * only with `allowLocalhost`). One forbidden address refuses the name, so that a name cannot mix
 * a public and an internal address. IP literals are checked without DNS.
 */
export async function resolveAndCheck(
  hostname: string,
  options: { allowLocalhost: boolean; lookup?: Resolver },
): Promise<LookupAddress[]> {
  const host = bareHostname(hostname);
  const literalFamily = isIPv4(host) ? 4 : isIPv6(host) ? 6 : 0;
  let addresses: LookupAddress[];
  if (literalFamily !== 0) {
    addresses = [{ address: host, family: literalFamily }];
  } else {
    try {
      addresses = await (options.lookup ?? systemResolver)(host, { all: true });
    } catch (error) {
      refuse(UNRESOLVED, error);
    }
  }
  if (addresses.length === 0) refuse(UNRESOLVED);
  // The address is not named in the message: a subscriber should not learn our resolver's view.
  if (addresses.some(({ address }) => !isAllowedAddress(address, options.allowLocalhost))) {
    refuse('its host name resolves to a private, loopback or reserved address');
  }
  return addresses;
}
