import type { LookupAddress } from 'node:dns';
import { describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../../functions/domain/errors.js';
import {
  allowedWebhookPortsFromEnv,
  isForbiddenAddress,
  isLoopbackAddress,
  type Resolver,
  resolveAndCheck,
  validateWebhookUrl,
} from '../../../functions/webhooks/address-policy.js';

describe('isForbiddenAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'IPv6 loopback'],
    ['[::1]', 'IPv6 loopback in brackets'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', '"this network"'],
    ['::', 'IPv6 unspecified'],
    ['10.0.0.1', 'private 10/8'],
    ['172.16.0.1', 'private 172.16/12'],
    ['172.31.255.255', 'private 172.16/12'],
    ['192.168.1.1', 'private 192.168/16'],
    ['fc00::1', 'unique local fc00::/7'],
    ['fd12:3456:789a::1', 'unique local fc00::/7'],
    ['fd00:ec2::254', 'AWS IPv6 instance metadata'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['169.254.0.1', 'link-local'],
    ['fe80::1', 'IPv6 link-local'],
    ['febf::1', 'IPv6 link-local'],
    ['fe80::1%eth0', 'IPv6 link-local with a zone'],
    ['fec0::1', 'IPv6 site-local (deprecated)'],
    ['100.64.0.1', 'shared address space (CGNAT)'],
    ['100.127.255.255', 'shared address space (CGNAT)'],
    ['192.0.0.8', 'IETF protocol assignments 192.0.0/24'],
    ['198.18.0.1', 'benchmarking 198.18/15'],
    ['198.19.255.255', 'benchmarking 198.18/15'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'IPv6 multicast'],
    ['240.0.0.1', 'reserved 240/4'],
    ['255.255.255.255', 'limited broadcast'],
    ['192.0.2.1', 'documentation TEST-NET-1'],
    ['198.51.100.7', 'documentation TEST-NET-2'],
    ['203.0.113.9', 'documentation TEST-NET-3'],
    ['2001:db8::1', 'IPv6 documentation'],
    ['3fff::1', 'IPv6 documentation 3fff::/20'],
    ['192.88.99.1', '6to4 relay anycast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback in hex'],
    ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
    ['::ffff:8.8.8.8', 'IPv4-mapped (never a real destination)'],
    ['::127.0.0.1', 'IPv4-compatible loopback'],
    ['::ffff:0:10.0.0.1', 'SIIT IPv4-translated'],
    ['64:ff9b::127.0.0.1', 'NAT64 of loopback'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 of 169.254.169.254'],
    ['64:ff9b:1::8.8.8.8', 'local-use NAT64 64:ff9b:1::/48'],
    ['2002:7f00:1::1', '6to4 of loopback'],
    ['2002:a9fe:a9fe::', '6to4 of 169.254.169.254'],
    ['2002:c0a8:0101::1', '6to4 of 192.168.1.1'],
    ['2001::1', 'Teredo'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['100::1', 'IPv6 discard-only'],
    ['5f00::1', 'SRv6 SIDs'],
    ['localhost', 'not an IP address'],
    ['2130706433', 'not a dotted IP address'],
    ['0x7f.0.0.1', 'not a dotted IP address'],
    ['', 'empty'],
  ])('refuses %s (%s)', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(true);
  });

  it.each([
    ['8.8.8.8', 'public IPv4'],
    ['93.184.216.34', 'public IPv4'],
    ['1.1.1.1', 'public IPv4'],
    ['100.63.255.255', 'just below CGNAT'],
    ['100.128.0.0', 'just above CGNAT'],
    ['172.15.255.255', 'just below 172.16/12'],
    ['172.32.0.0', 'just above 172.16/12'],
    ['198.17.255.255', 'just below benchmarking'],
    ['198.20.0.0', 'just above benchmarking'],
    ['223.255.255.255', 'just below multicast'],
    ['2606:4700:4700::1111', 'public IPv6'],
    ['2a00:1450:4001:80b::200e', 'public IPv6'],
    ['[2606:4700:4700::1111]', 'public IPv6 in brackets'],
    ['64:ff9b::8.8.8.8', 'NAT64 of a public address'],
    ['64:ff9b::808:808', 'NAT64 of a public address in hex'],
    ['2002:808:808::1', '6to4 of a public address'],
  ])('allows %s (%s)', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(false);
  });
});

describe('isLoopbackAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['[::1]', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', false],
    ['10.0.0.1', false],
    ['::', false],
  ])('says %s is loopback: %s', (ip, loopback) => {
    expect(isLoopbackAddress(ip)).toBe(loopback);
  });
});

function refusal(run: () => unknown): { message: string; issues: unknown } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return { message: (error as ValidationError).message, issues: (error as ValidationError).issues };
  }
  throw new Error('expected a ValidationError');
}

describe('validateWebhookUrl', () => {
  it.each([
    'https://hooks.example.org/livelihood',
    'https://hooks.example.org/a/b?token=1&x=2',
    'https://hooks.example.org:443/explicit-default-port',
    'https://hooks.example.org:80/plain-http-port',
    'https://HOOKS.Example.ORG/path',
    'https://xn--fiqs8s.cn/hook',
    'https://政府.cn/hook',
    'https://hooks.example.org./trailing-dot',
    'https://8.8.8.8/hook',
    'https://[2606:4700:4700::1111]/hook',
  ])('allows %s', (url) => {
    expect(validateWebhookUrl(url, { allowLocalhost: false })).toBeInstanceOf(URL);
  });

  it.each([
    ['http://hooks.example.org/x', /https/],
    ['ftp://hooks.example.org/x', /https/],
    ['javascript:alert(1)', /https/],
    ['/relative/path', /absolute/],
    ['hooks.example.org/x', /absolute/],
    ['', /required/],
    ['https://user:pass@hooks.example.org/x', /user name or password/],
    ['https://user@hooks.example.org/x', /user name or password/],
    ['https://hooks.example.org/x#frag', /fragment/],
    ['https://hooks.example.org/x#', /fragment/],
    [`https://hooks.example.org/${'a'.repeat(2048)}`, /longer than 2048/],
    ['https://hooks.example.org/a b', /spaces or control/],
    ['https://hooks.example.org/a\tb', /spaces or control/],
    [' https://hooks.example.org/', /spaces or control/],
    ['https://hooks.example.org:0/', /port 0/],
    ['https://127.0.0.1/x', /IP address/],
    ['https://10.1.2.3/x', /IP address/],
    ['https://169.254.169.254/latest/meta-data/', /IP address/],
    ['https://0.0.0.0/x', /IP address/],
    ['https://[::1]/x', /IP address/],
    ['https://[::ffff:127.0.0.1]/x', /IP address/],
    ['https://[fd00:ec2::254]/x', /IP address/],
    ['https://[64:ff9b::a9fe:a9fe]/x', /IP address/],
    ['https://[2002:7f00:1::1]/x', /IP address/],
    ['https://2130706433/x', /IP address/],
    ['https://0x7f.1/x', /IP address/],
    ['https://0177.0.0.1/x', /IP address/],
    ['https://localhost/x', /fully qualified/],
    ['https://localhost./x', /fully qualified/],
    ['https://app.localhost/x', /local or internal/],
    ['https://metadata.google.internal/computeMetadata/v1/', /local or internal/],
    ['https://instance-data.ec2.internal/x', /local or internal/],
    ['https://printer.local/x', /local or internal/],
    ['https://router.home.arpa/x', /local or internal/],
    ['https://1.0.0.127.in-addr.arpa/x', /local or internal/],
    ['https://metadata/x', /fully qualified/],
    ['https://intranet/x', /fully qualified/],
    ['https://a..b.org/x', /fully qualified/],
  ])('refuses %s', (url, reason) => {
    const { message, issues } = refusal(() => validateWebhookUrl(url, { allowLocalhost: false }));
    expect(message).toMatch(reason);
    expect(issues).toEqual([{ field: 'url', message: expect.stringMatching(reason) }]);
  });

  it.each([
    ['https://hooks.example.org:8443/x'],
    ['https://hooks.example.org:22/x'],
    ['https://hooks.example.org:25/x'],
    ['https://8.8.8.8:6379/x'],
    ['https://[2606:4700:4700::1111]:5432/x'],
    ['https://hooks.example.org:65535/x'],
  ])('refuses %s: only 443 and 80, so that deliveries cannot probe other services', (url) => {
    const { message, issues } = refusal(() => validateWebhookUrl(url, { allowLocalhost: false }));
    expect(message).toBe('The webhook URL is not allowed: its port must be one of 443, 80');
    expect(issues).toEqual([{ field: 'url', message: 'its port must be one of 443, 80' }]);
    // The local stage does not widen this for hosts other than localhost.
    expect(() => validateWebhookUrl(url, { allowLocalhost: true })).toThrow(/port must be one of/);
  });

  it("allows the stage's extra ports, and only those", () => {
    const options = { allowLocalhost: false, allowedPorts: [8443, 9443] };
    expect(validateWebhookUrl('https://hooks.example.org:8443/x', options).port).toBe('8443');
    expect(validateWebhookUrl('https://hooks.example.org:9443/x', options).port).toBe('9443');
    expect(refusal(() => validateWebhookUrl('https://hooks.example.org:8080/x', options)).message).toMatch(
      /one of 443, 80, 8443, 9443$/,
    );
  });

  it("reads the stage's extra ports from the environment, and refuses a broken list", () => {
    vi.stubEnv('WEBHOOK_ALLOWED_PORTS', '8443, 9443');
    expect(allowedWebhookPortsFromEnv()).toEqual([8443, 9443]);
    vi.stubEnv('WEBHOOK_ALLOWED_PORTS', '');
    expect(allowedWebhookPortsFromEnv()).toEqual([]);
    for (const broken of ['22,x', '0', '70000', '443;80']) {
      vi.stubEnv('WEBHOOK_ALLOWED_PORTS', broken);
      expect(() => allowedWebhookPortsFromEnv(), broken).toThrow(/WEBHOOK_ALLOWED_PORTS/);
    }
    vi.unstubAllEnvs();
  });

  it.each([
    'http://localhost:3000/hook',
    'http://127.0.0.1:3000/hook',
    'http://[::1]:3000/hook',
    'https://localhost/hook',
  ])('allows %s on the local stage', (url) => {
    expect(validateWebhookUrl(url, { allowLocalhost: true }).href).toBe(new URL(url).href);
  });

  it.each([
    ['http://hooks.example.org/x', /https \(or http to localhost\)/],
    ['http://127.0.0.2/x', /https/],
    ['http://app.localhost/x', /https/],
    ['https://10.0.0.1/x', /IP address/],
    ['https://169.254.169.254/x', /IP address/],
    ['http://user:pw@localhost:3000/x', /user name or password/],
    ['http://localhost:3000/x#f', /fragment/],
  ])('still refuses %s on the local stage', (url, reason) => {
    expect(refusal(() => validateWebhookUrl(url, { allowLocalhost: true })).message).toMatch(reason);
  });
});

const resolverOf =
  (...addresses: LookupAddress[]): Resolver =>
  async () =>
    addresses;

describe('resolveAndCheck', () => {
  it('returns every address of a public name', async () => {
    const lookup = vi.fn(
      resolverOf({ address: '93.184.216.34', family: 4 }, { address: '2606:2800::1', family: 6 }),
    );
    await expect(resolveAndCheck('hooks.example.org', { allowLocalhost: false, lookup })).resolves.toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800::1', family: 6 },
    ]);
    expect(lookup).toHaveBeenCalledWith('hooks.example.org', { all: true });
  });

  it('refuses a name when any one of its addresses is forbidden', async () => {
    const lookup = resolverOf({ address: '93.184.216.34', family: 4 }, { address: '10.0.0.5', family: 4 });
    await expect(resolveAndCheck('hooks.example.org', { allowLocalhost: false, lookup })).rejects.toThrow(
      /resolves to a private, loopback or reserved address/,
    );
  });

  it.each(['169.254.169.254', 'fd00:ec2::254', '::ffff:10.0.0.1', '127.0.0.1'])(
    'refuses a name resolving to %s without naming the address',
    async (address) => {
      const lookup = resolverOf({ address, family: address.includes(':') ? 6 : 4 });
      const error = await resolveAndCheck('rebind.example.org', { allowLocalhost: false, lookup }).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.issues).toEqual([{ field: 'url', message: expect.stringMatching(/private/) }]);
      expect(error.message).not.toContain(address);
    },
  );

  it('allows loopback addresses only on the local stage', async () => {
    const lookup = resolverOf({ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 });
    await expect(resolveAndCheck('localhost', { allowLocalhost: true, lookup })).resolves.toHaveLength(2);
    await expect(resolveAndCheck('localhost', { allowLocalhost: false, lookup })).rejects.toThrow(
      ValidationError,
    );
  });

  it('still refuses private addresses on the local stage', async () => {
    const lookup = resolverOf({ address: '192.168.0.10', family: 4 });
    await expect(resolveAndCheck('nas.example.org', { allowLocalhost: true, lookup })).rejects.toThrow(
      ValidationError,
    );
  });

  it('checks IP literals without asking DNS', async () => {
    const lookup = vi.fn(resolverOf());
    await expect(resolveAndCheck('[::1]', { allowLocalhost: true, lookup })).resolves.toEqual([
      { address: '::1', family: 6 },
    ]);
    await expect(resolveAndCheck('169.254.169.254', { allowLocalhost: true, lookup })).rejects.toThrow(
      ValidationError,
    );
    expect(lookup).not.toHaveBeenCalled();
  });

  it('refuses a name that does not resolve', async () => {
    const failing: Resolver = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.example.org'), { code: 'ENOTFOUND' });
    };
    await expect(
      resolveAndCheck('nowhere.example.org', { allowLocalhost: false, lookup: failing }),
    ).rejects.toThrow(/could not be resolved/);
    await expect(
      resolveAndCheck('empty.example.org', { allowLocalhost: false, lookup: resolverOf() }),
    ).rejects.toThrow(/could not be resolved/);
  });
});
