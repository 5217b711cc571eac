import { describe, expect, it } from 'vitest';
import {
  generateSecret,
  sign,
  verify,
  WebhookVerificationError,
  webhookHeaders,
} from '../../../functions/webhooks/signature.js';

/**
 * Known vectors of the reference implementation: github.com/standard-webhooks/standard-webhooks,
 * libraries/javascript/src/webhook.test.ts (commit 10d3e46d720c4e5861a792bec25792a04ad4e2b3),
 * tests "sign function works" and "verification works with and without signature prefix".
 */
const REFERENCE = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
} as const;

const NOW = 1_700_000_000;
const SECRET = generateSecret();
const BODY = '{"type":"milestone.recorded","data":{"projectId":"2024-01"}}';

function signedHeaders(overrides: { timestamp?: number; secret?: string } = {}) {
  const timestamp = overrides.timestamp ?? NOW;
  const signature = sign({ secret: overrides.secret ?? SECRET, id: 'msg_1', timestamp, body: BODY });
  return webhookHeaders({ id: 'msg_1', timestamp, signature });
}

describe('sign', () => {
  it("produces the reference implementation's signature for its known vector", () => {
    expect(sign(REFERENCE)).toBe(REFERENCE.signature);
  });

  it('accepts the secret without its whsec_ prefix, like the reference implementation', () => {
    expect(sign({ ...REFERENCE, secret: REFERENCE.secret.slice('whsec_'.length) })).toBe(REFERENCE.signature);
  });

  it('signs bytes and the same text alike', () => {
    expect(sign({ ...REFERENCE, body: Buffer.from(REFERENCE.body) })).toBe(REFERENCE.signature);
  });

  it('refuses an id containing a full stop, which would make the signed content ambiguous', () => {
    expect(() => sign({ ...REFERENCE, id: 'msg.1' })).toThrow(TypeError);
  });

  it('refuses a timestamp that is not whole seconds', () => {
    expect(() => sign({ ...REFERENCE, timestamp: 1614265330.5 })).toThrow(TypeError);
  });

  it('refuses a secret that is not base64', () => {
    expect(() => sign({ ...REFERENCE, secret: 'whsec_not base64!' })).toThrow(TypeError);
    expect(() => sign({ ...REFERENCE, secret: 'whsec_' })).toThrow(TypeError);
  });
});

describe('generateSecret', () => {
  it('is whsec_ followed by the base64 of 32 random bytes', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(generateSecret()).not.toBe(secret);
  });
});

describe('webhookHeaders', () => {
  it('names the three Standard Webhooks headers', () => {
    expect(webhookHeaders({ id: 'msg_1', timestamp: 1674087231, signature: 'v1,abc=' })).toEqual({
      'webhook-id': 'msg_1',
      'webhook-timestamp': '1674087231',
      'webhook-signature': 'v1,abc=',
    });
  });

  it('sends several signatures space-separated for secret rotation', () => {
    const headers = webhookHeaders({ id: 'msg_1', timestamp: 1, signature: ['v1,new=', 'v1,old='] });
    expect(headers['webhook-signature']).toBe('v1,new= v1,old=');
  });
});

describe('verify', () => {
  it("accepts the reference implementation's known vector", () => {
    const headers = webhookHeaders({
      id: REFERENCE.id,
      timestamp: REFERENCE.timestamp,
      signature: REFERENCE.signature,
    });
    expect(
      verify({ secret: REFERENCE.secret, headers, body: REFERENCE.body, now: REFERENCE.timestamp }),
    ).toEqual({
      id: REFERENCE.id,
      timestamp: REFERENCE.timestamp,
    });
  });

  it('accepts a rotation header signed with two secrets, with either secret, and refuses a third', () => {
    const OLD = generateSecret();
    const NEW = generateSecret();
    const signatures = [NEW, OLD].map((secret) => sign({ secret, id: 'msg_1', timestamp: NOW, body: BODY }));
    const headers = webhookHeaders({ id: 'msg_1', timestamp: NOW, signature: signatures });
    expect(headers['webhook-signature'].split(' ')).toEqual(signatures);
    expect(verify({ secret: OLD, headers, body: BODY, now: NOW })).toEqual({ id: 'msg_1', timestamp: NOW });
    expect(verify({ secret: NEW, headers, body: BODY, now: NOW })).toEqual({ id: 'msg_1', timestamp: NOW });
    expect(() => verify({ secret: generateSecret(), headers, body: BODY, now: NOW })).toThrow(
      WebhookVerificationError,
    );
  });

  it('accepts what sign produced, with header names in any case and as a Headers object', () => {
    const headers = signedHeaders();
    expect(() => verify({ secret: SECRET, headers, body: BODY, now: NOW })).not.toThrow();
    const shouted = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name.toUpperCase(), value]),
    );
    expect(() => verify({ secret: SECRET, headers: shouted, body: BODY, now: NOW })).not.toThrow();
    expect(() =>
      verify({ secret: SECRET, headers: new Headers(headers), body: BODY, now: NOW }),
    ).not.toThrow();
  });

  it('reads now as a Date as well as seconds', () => {
    expect(() =>
      verify({ secret: SECRET, headers: signedHeaders(), body: BODY, now: new Date(NOW * 1000) }),
    ).not.toThrow();
  });

  it('fails when the body was tampered with', () => {
    expect(() => verify({ secret: SECRET, headers: signedHeaders(), body: `${BODY} `, now: NOW })).toThrow(
      new WebhookVerificationError('No matching signature found'),
    );
  });

  it('fails when the id was changed', () => {
    const headers = { ...signedHeaders(), 'webhook-id': 'msg_2' };
    expect(() => verify({ secret: SECRET, headers, body: BODY, now: NOW })).toThrow(WebhookVerificationError);
  });

  it('fails when the timestamp was changed, even within the tolerance', () => {
    const headers = { ...signedHeaders(), 'webhook-timestamp': String(NOW + 1) };
    expect(() => verify({ secret: SECRET, headers, body: BODY, now: NOW })).toThrow(
      'No matching signature found',
    );
  });

  it('fails when signed with another secret', () => {
    const headers = signedHeaders({ secret: generateSecret() });
    expect(() => verify({ secret: SECRET, headers, body: BODY, now: NOW })).toThrow(WebhookVerificationError);
  });

  it('fails when the timestamp is older than the tolerance', () => {
    const headers = signedHeaders({ timestamp: NOW - 301 });
    expect(() => verify({ secret: SECRET, headers, body: BODY, now: NOW })).toThrow(/too old/);
    expect(() => verify({ secret: SECRET, headers, body: BODY, now: NOW - 1 })).not.toThrow();
  });

  it('fails when the timestamp is further in the future than the tolerance', () => {
    const headers = signedHeaders({ timestamp: NOW + 301 });
    expect(() => verify({ secret: SECRET, headers, body: BODY, now: NOW })).toThrow(/future/);
  });

  it('honours a custom tolerance', () => {
    const headers = signedHeaders({ timestamp: NOW - 60 });
    expect(() => verify({ secret: SECRET, headers, body: BODY, now: NOW, toleranceSeconds: 30 })).toThrow(
      /too old/,
    );
  });

  it('accepts several signatures when one of them matches', () => {
    const valid = signedHeaders();
    const headers = {
      ...valid,
      'webhook-signature': [
        'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=',
        'v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=',
        valid['webhook-signature'],
        'v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg==',
      ].join(' '),
    };
    expect(() => verify({ secret: SECRET, headers, body: BODY, now: NOW })).not.toThrow();
  });

  it('ignores a matching signature under a version other than v1', () => {
    const valid = signedHeaders();
    const headers = { ...valid, 'webhook-signature': valid['webhook-signature'].replace(/^v1,/, 'v2,') };
    expect(() => verify({ secret: SECRET, headers, body: BODY, now: NOW })).toThrow(WebhookVerificationError);
  });

  it('fails on a partial signature', () => {
    const valid = signedHeaders();
    for (const signature of [valid['webhook-signature'].slice(0, 8), 'v1,', 'v1']) {
      const headers = { ...valid, 'webhook-signature': signature };
      expect(() => verify({ secret: SECRET, headers, body: BODY, now: NOW })).toThrow(
        WebhookVerificationError,
      );
    }
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const)(
    'fails without the %s header',
    (name) => {
      const headers: Record<string, string> = { ...signedHeaders() };
      delete headers[name];
      expect(() => verify({ secret: SECRET, headers, body: BODY, now: NOW })).toThrow(
        /Missing a required header/,
      );
    },
  );

  it.each(['hello', '1700000000abc', '-1700000000', '1.7e9'])('fails on the timestamp %j', (timestamp) => {
    const headers = { ...signedHeaders(), 'webhook-timestamp': timestamp };
    expect(() => verify({ secret: SECRET, headers, body: BODY, now: NOW })).toThrow(WebhookVerificationError);
  });
});
