import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, importPKCS8, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGroups } from '../../functions/http/caller.js';
import {
  flattenClaims,
  keyPaths,
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  type LocalAuth,
  loadLocalAuth,
} from '../../local/local-auth.js';

let dataDir: string;
let otherDataDir: string;
let auth: LocalAuth;
let otherAuth: LocalAuth;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tracker-auth-'));
  otherDataDir = await mkdtemp(join(tmpdir(), 'tracker-auth-other-'));
  auth = await loadLocalAuth(dataDir);
  otherAuth = await loadLocalAuth(otherDataDir);
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await rm(otherDataDir, { recursive: true, force: true });
});

/** Signs arbitrary claims with the private key `npm start` uses, as an attacker with a stolen key would. */
const signWithKeyOf = async (directory: string, claims: JWTPayload, kid = auth.keyId) => {
  const key = await importPKCS8(await readFile(keyPaths(directory).privateKey, 'utf8'), 'RS256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
};

const validClaims = (): JWTPayload => {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: 'local-jiangsu',
    'cognito:groups': ['jiangsu'],
    iss: LOCAL_ISSUER,
    aud: LOCAL_AUDIENCE,
    client_id: LOCAL_AUDIENCE,
    iat: now,
    exp: now + 3600,
  };
};

describe('local auth', () => {
  it('issues a token shaped like a Cognito access token that verifies', async () => {
    const token = await auth.signToken('jiangsu');
    const payload = await auth.verifyToken(token);

    expect(payload).toMatchObject({
      sub: 'local-jiangsu',
      'cognito:groups': ['jiangsu'],
      'cognito:username': 'local-jiangsu',
      token_use: 'access',
      client_id: LOCAL_AUDIENCE,
      aud: LOCAL_AUDIENCE,
      iss: LOCAL_ISSUER,
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(12 * 3600);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: auth.keyId });
  });

  it('keeps one key pair per data directory, private key readable only by its owner', async () => {
    const token = await auth.signToken('coordinator', { subject: 'alice' });
    const reloaded = await loadLocalAuth(dataDir);

    await expect(reloaded.verifyToken(token)).resolves.toMatchObject({ sub: 'alice' });
    expect(reloaded.keyId).toBe(auth.keyId);
    expect((await stat(keyPaths(dataDir).privateKey)).mode & 0o777).toBe(0o600);
    const publicJwk = JSON.parse(await readFile(keyPaths(dataDir).publicJwk, 'utf8')) as Record<
      string,
      unknown
    >;
    expect(publicJwk).toMatchObject({ kty: 'RSA', kid: auth.keyId, alg: 'RS256' });
    expect(publicJwk).not.toHaveProperty('d');
  });

  it('gives the same role the same subject across tokens', async () => {
    const first = decodeJwt(await auth.signToken('zhejiang'));
    const second = decodeJwt(await auth.signToken('zhejiang'));
    expect(first.sub).toBe('local-zhejiang');
    expect(second.sub).toBe(first.sub);
    expect(second.jti).not.toBe(first.jti);
  });

  it('refuses to sign for a role the product does not have', async () => {
    await expect(auth.signToken('hubei' as never)).rejects.toThrow(/Unknown role/);
  });

  it('refuses a token from another issuer', async () => {
    const token = await signWithKeyOf(dataDir, { ...validClaims(), iss: 'https://evil.example' });
    await expect(auth.verifyToken(token)).rejects.toThrow();
  });

  it('refuses a token meant for another audience', async () => {
    const token = await signWithKeyOf(dataDir, {
      ...validClaims(),
      aud: 'other-app',
      client_id: 'other-app',
    });
    await expect(auth.verifyToken(token)).rejects.toThrow(/audience|client_id/);
  });

  it('accepts the audience from client_id alone, as the authorizer does for access tokens', async () => {
    const { aud: _aud, ...withoutAud } = validClaims();
    const token = await signWithKeyOf(dataDir, withoutAud);
    await expect(auth.verifyToken(token)).resolves.toMatchObject({ client_id: LOCAL_AUDIENCE });
  });

  it('refuses an expired token beyond the clock tolerance', async () => {
    const token = await auth.signToken('jiangsu', { expiresIn: '-1m' });
    await expect(auth.verifyToken(token)).rejects.toThrow(/exp/);
  });

  it('refuses a token without an expiry', async () => {
    const { exp: _exp, ...withoutExp } = validClaims();
    const token = await signWithKeyOf(dataDir, withoutExp);
    await expect(auth.verifyToken(token)).rejects.toThrow();
  });

  it('refuses a token whose payload was tampered with', async () => {
    const token = await auth.signToken('jiangsu');
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as JWTPayload;
    claims['cognito:groups'] = ['coordinator'];
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    await expect(auth.verifyToken(forged)).rejects.toThrow(/signature/);
  });

  it('refuses a token signed by another key, even one claiming our key id', async () => {
    await expect(auth.verifyToken(await otherAuth.signToken('jiangsu'))).rejects.toThrow();
    const sameKid = await signWithKeyOf(otherDataDir, validClaims(), auth.keyId);
    await expect(auth.verifyToken(sameKid)).rejects.toThrow(/signature/);
  });

  it('refuses a token signed with another algorithm', async () => {
    const secret = new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!!');
    const token = await new SignJWT(validClaims())
      .setProtectedHeader({ alg: 'HS256', kid: auth.keyId })
      .sign(secret);
    await expect(auth.verifyToken(token)).rejects.toThrow();
  });

  it('flattens claims the way the HTTP API authorizer passes them', async () => {
    const payload = await auth.verifyToken(await auth.signToken('jiangsu'));
    const claims = flattenClaims(payload);

    expect(claims['cognito:groups']).toBe('[jiangsu]');
    expect(claims.sub).toBe('local-jiangsu');
    expect(claims.exp).toBe(String(payload.exp));
    expect(parseGroups(claims['cognito:groups'])).toEqual(['jiangsu']);
    expect(flattenClaims({ 'cognito:groups': ['jiangsu', 'coordinator'] })['cognito:groups']).toBe(
      '[jiangsu coordinator]',
    );
  });
});
