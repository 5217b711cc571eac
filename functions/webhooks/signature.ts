import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com, spec/standard-webhooks.md):
 * the symmetric `v1` scheme, HMAC-SHA256 over `{id}.{timestamp}.{body}`, keyed with the
 * base64-decoded secret that follows the `whsec_` prefix, sent base64-encoded as `v1,<signature>`.
 */

export const SECRET_PREFIX = 'whsec_';
/** Bytes of randomness in a generated secret (the spec asks for 24 to 64). */
const SECRET_BYTES = 32;
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

export const WEBHOOK_HEADER = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** A webhook that fails verification. The message says why and is safe to show to the receiver. */
export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

/** A new signing secret: `whsec_` and the base64 of 32 random bytes. */
export function generateSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The HMAC key of a secret. Like the reference implementation, the `whsec_` prefix may be left off. */
function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (encoded === '' || !BASE64.test(encoded)) {
    throw new TypeError('The webhook secret must be `whsec_` followed by base64');
  }
  return Buffer.from(encoded, 'base64');
}

function assertId(id: string): void {
  // The spec: ids must not contain `.`, or the signed content `{id}.{timestamp}.{body}` becomes ambiguous.
  if (id === '' || /[.\s]/.test(id)) {
    throw new TypeError('A webhook id must be non-empty and contain no `.` or whitespace');
  }
}

function assertTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new TypeError('A webhook timestamp must be whole seconds since the epoch');
  }
}

function signatureBytes(key: Buffer, id: string, timestamp: number, body: string | Uint8Array): Buffer {
  return createHmac('sha256', key)
    .update(`${id}.${timestamp}.`, 'utf8')
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .digest();
}

/**
 * The `v1,<base64>` signature of one attempt. `timestamp` is in seconds; `body` must be exactly the
 * bytes sent.
 */
export function sign(input: {
  secret: string;
  id: string;
  timestamp: number;
  body: string | Uint8Array;
}): string {
  assertId(input.id);
  assertTimestamp(input.timestamp);
  const signature = signatureBytes(secretKey(input.secret), input.id, input.timestamp, input.body);
  return `v1,${signature.toString('base64')}`;
}

/** The three Standard Webhooks headers. Several signatures (secret rotation) are sent space-separated. */
export function webhookHeaders(input: {
  id: string;
  timestamp: number;
  signature: string | readonly string[];
}): WebhookHeaders {
  assertId(input.id);
  assertTimestamp(input.timestamp);
  const signatures = typeof input.signature === 'string' ? [input.signature] : input.signature;
  if (signatures.length === 0 || signatures.some((s) => s === '' || /\s/.test(s))) {
    throw new TypeError('Each webhook signature must be non-empty and contain no whitespace');
  }
  return {
    [WEBHOOK_HEADER.id]: input.id,
    [WEBHOOK_HEADER.timestamp]: String(input.timestamp),
    [WEBHOOK_HEADER.signature]: signatures.join(' '),
  };
}

export type IncomingHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

function header(headers: IncomingHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') {
    return (headers as Headers).get(name) ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  for (const [key, value] of Object.entries(record)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    if (typeof value === 'string') return value;
    if (value.length === 1) return value[0];
    throw new WebhookVerificationError(`The ${name} header is repeated`);
  }
  return undefined;
}

/**
 * Checks a received webhook. Throws WebhookVerificationError unless a `v1` signature in
 * `webhook-signature` matches and `webhook-timestamp` is within `toleranceSeconds` of `now`
 * (a Date, or seconds since the epoch; default: the clock). Returns the verified id and timestamp.
 */
export function verify(input: {
  secret: string;
  headers: IncomingHeaders;
  body: string | Uint8Array;
  toleranceSeconds?: number;
  now?: Date | number;
}): { id: string; timestamp: number } {
  const { secret, headers, body, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS } = input;
  const id = header(headers, WEBHOOK_HEADER.id);
  const timestampHeader = header(headers, WEBHOOK_HEADER.timestamp);
  const signatureHeader = header(headers, WEBHOOK_HEADER.signature);
  if (!id || !timestampHeader || !signatureHeader) {
    throw new WebhookVerificationError(
      'Missing a required header: webhook-id, webhook-timestamp and webhook-signature',
    );
  }

  if (!/^\d{1,15}$/.test(timestampHeader)) {
    throw new WebhookVerificationError('The webhook-timestamp header is not whole seconds since the epoch');
  }
  const timestamp = Number(timestampHeader);
  const nowSeconds =
    input.now === undefined
      ? Math.floor(Date.now() / 1000)
      : typeof input.now === 'number'
        ? input.now
        : Math.floor(input.now.getTime() / 1000);
  if (nowSeconds - timestamp > toleranceSeconds) {
    throw new WebhookVerificationError('The message timestamp is too old');
  }
  if (timestamp - nowSeconds > toleranceSeconds) {
    throw new WebhookVerificationError('The message timestamp is too far in the future');
  }

  const expected = Buffer.from(signatureBytes(secretKey(secret), id, timestamp, body).toString('base64'));
  for (const versioned of signatureHeader.split(' ')) {
    const comma = versioned.indexOf(',');
    if (comma < 0 || versioned.slice(0, comma) !== 'v1') continue;
    const candidate = Buffer.from(versioned.slice(comma + 1));
    // The length of a v1 signature is public (44 characters); only equal lengths are compared, in constant time.
    if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) {
      return { id, timestamp };
    }
  }
  throw new WebhookVerificationError('No matching signature found');
}
