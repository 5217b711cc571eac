/**
 * A local stand-in for Cognito and the HTTP API JWT authorizer: one RS256 key pair per data
 * directory, tokens shaped like Cognito access tokens, and verification that checks what the
 * authorizer checks (key id, signature, algorithm, issuer, audience or client_id, expiry).
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  importPKCS8,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { isRole, ROLES, type Role } from '../functions/domain/provinces.js';
import { GROUPS_CLAIM } from '../functions/http/caller.js';
import type { JwtClaims } from '../functions/http/types.js';
import { readOrCreateFile } from './shared/create-once.js';

export const LOCAL_ISSUER = 'http://localhost/livelihood-tracker-local';
export const LOCAL_AUDIENCE = 'livelihood-tracker-local';
export const LOCAL_ALGORITHM = 'RS256';
/** Clock skew tolerated when checking exp, nbf and iat. */
export const CLOCK_TOLERANCE_SECONDS = 5;

export interface SignTokenOptions {
  /** Defaults to `local-<role>`, so the same role is the same person across tokens. */
  subject?: string;
  /** Defaults to the subject. */
  username?: string;
  /** A jose duration ('12h', '15m', '-1h') or seconds from now; defaults to '12h'. */
  expiresIn?: string | number;
}

export interface LocalAuth {
  issuer: string;
  audience: string;
  keyId: string;
  /** The public key as the JWKS endpoint of a user pool would publish it. */
  publicJwk: JWK;
  signToken(role: Role, options?: SignTokenOptions): Promise<string>;
  /** Resolves with the verified payload; rejects (a jose error) for anything the authorizer would refuse. */
  verifyToken(token: string): Promise<JWTPayload>;
}

export const keyPaths = (dataDir: string) => {
  const dir = join(dataDir, 'keys');
  return { dir, privateKey: join(dir, 'private-key.pem'), publicJwk: join(dir, 'public-key.jwk.json') };
};

const PRIVATE_JWK_FIELDS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'] as const;

/** Reads the private key, generating it first if absent (once, whoever starts first). */
const readOrCreatePrivateKey = async (dataDir: string): Promise<string> =>
  (
    await readOrCreateFile(keyPaths(dataDir).privateKey, async () => {
      const { privateKey } = await generateKeyPair(LOCAL_ALGORITHM, {
        extractable: true,
        modulusLength: 2048,
      });
      return exportPKCS8(privateKey);
    })
  ).toString('utf8');

/** Loads (or creates on first use) the key pair kept under `<dataDir>/keys/`. */
export const loadLocalAuth = async (dataDir: string): Promise<LocalAuth> => {
  const paths = keyPaths(dataDir);
  const pem = await readOrCreatePrivateKey(dataDir);
  const privateKey = await importPKCS8(pem, LOCAL_ALGORITHM, { extractable: true });
  const fullJwk = await exportJWK(privateKey);
  const publicParts: JWK = { ...fullJwk };
  for (const field of PRIVATE_JWK_FIELDS) delete publicParts[field];
  const keyId = await calculateJwkThumbprint(publicParts);
  const publicJwk: JWK = { ...publicParts, kid: keyId, alg: LOCAL_ALGORITHM, use: 'sig' };
  await writeFile(paths.publicJwk, `${JSON.stringify(publicJwk, null, 2)}\n`, { mode: 0o644 });
  const keySet = createLocalJWKSet({ keys: [publicJwk] });

  const signToken = async (role: Role, options: SignTokenOptions = {}): Promise<string> => {
    if (!isRole(role)) throw new Error(`Unknown role "${String(role)}": use one of ${ROLES.join(', ')}`);
    const subject = options.subject ?? `local-${role}`;
    const username = options.username ?? subject;
    return new SignJWT({
      [GROUPS_CLAIM]: [role],
      'cognito:username': username,
      username,
      token_use: 'access',
      client_id: LOCAL_AUDIENCE,
    })
      .setProtectedHeader({ alg: LOCAL_ALGORITHM, kid: keyId, typ: 'JWT' })
      .setSubject(subject)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime(
        typeof options.expiresIn === 'number'
          ? Math.floor(Date.now() / 1000) + options.expiresIn
          : (options.expiresIn ?? '12h'),
      )
      .sign(privateKey);
  };

  const verifyToken = async (token: string): Promise<JWTPayload> => {
    const { payload } = await jwtVerify(token, keySet, {
      algorithms: [LOCAL_ALGORITHM],
      issuer: LOCAL_ISSUER,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp'],
    });
    // The HTTP API authorizer accepts the audience from `aud` or, for Cognito access tokens, `client_id`.
    const audiences =
      payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audiences.includes(LOCAL_AUDIENCE) && payload.client_id !== LOCAL_AUDIENCE) {
      throw new Error('The token is not meant for this API (aud / client_id mismatch)');
    }
    return payload;
  };

  return { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, keyId, publicJwk, signToken, verifyToken };
};

const flattenValue = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(flattenValue).join(' ')}]`;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

/**
 * Claims as the HTTP API JWT authorizer hands them to the function: every value a string, arrays
 * written as `[a b]` (so `cognito:groups: ["jiangsu"]` arrives as `"[jiangsu]"`).
 */
export const flattenClaims = (payload: JWTPayload): JwtClaims => {
  const claims: JwtClaims = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined) continue;
    claims[name] = flattenValue(value);
  }
  return claims;
};
