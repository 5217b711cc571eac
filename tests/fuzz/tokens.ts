/**
 * Authorization headers a caller might send: a real access token for each office role, and every
 * kind of token the JWT authorizer (local-auth.ts stands in for it) or the handler must refuse.
 */
import { readFile } from 'node:fs/promises';
import { importPKCS8, SignJWT } from 'jose';
import { ROLES } from '../../functions/domain/provinces.js';
import { GROUPS_CLAIM } from '../../functions/http/caller.js';
import { keyPaths, LOCAL_ALGORITHM, LOCAL_ISSUER, type LocalAuth } from '../../local/local-auth.js';

/** A named Authorization header value; undefined sends no header at all. */
export interface AuthVariant {
  name: string;
  header: string | undefined;
}

const bearer = (token: string) => `Bearer ${token}`;

/** Flips one character of the signature: same header, same claims, a signature that does not verify. */
const withBrokenSignature = (token: string) => {
  const at = token.lastIndexOf('.') + 1;
  const flipped = token.charAt(at) === 'A' ? 'B' : 'A';
  return `${token.slice(0, at)}${flipped}${token.slice(at + 1)}`;
};

/**
 * Valid tokens (one per role) and refused ones. Tokens with claims signToken does not write
 * (another audience, an ID token) are signed with the same private key, so only the claim is wrong.
 */
export const authVariants = async (
  auth: LocalAuth,
  dataDir: string,
): Promise<{
  valid: AuthVariant[];
  refused: AuthVariant[];
}> => {
  const privateKey = await importPKCS8(await readFile(keyPaths(dataDir).privateKey, 'utf8'), LOCAL_ALGORITHM);
  const signed = (claims: Record<string, unknown>, audience: string) =>
    new SignJWT({ [GROUPS_CLAIM]: ['jiangsu'], username: 'fuzz', ...claims })
      .setProtectedHeader({ alg: LOCAL_ALGORITHM, kid: auth.keyId, typ: 'JWT' })
      .setSubject('fuzz-jiangsu')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
  const valid = await Promise.all(
    ROLES.map(async (role) => ({ name: `token of ${role}`, header: bearer(await auth.signToken(role)) })),
  );
  const jiangsu = await auth.signToken('jiangsu');
  const refused: AuthVariant[] = [
    { name: 'no Authorization header', header: undefined },
    { name: 'expired token', header: bearer(await auth.signToken('jiangsu', { expiresIn: -3600 })) },
    {
      name: 'token for another audience',
      header: bearer(await signed({ token_use: 'access', client_id: 'another-client' }, 'another-api')),
    },
    { name: 'ID token', header: bearer(await signed({ token_use: 'id' }, auth.audience)) },
    {
      name: 'token without a role',
      header: bearer(await signed({ [GROUPS_CLAIM]: [], token_use: 'access' }, auth.audience)),
    },
    {
      name: 'token with two provinces',
      header: bearer(
        await signed({ [GROUPS_CLAIM]: ['jiangsu', 'anhui'], token_use: 'access' }, auth.audience),
      ),
    },
    { name: 'token with a broken signature', header: bearer(withBrokenSignature(jiangsu)) },
    { name: 'token with alg none', header: bearer(`${jiangsu.split('.').slice(0, 2).join('.')}.`) },
    { name: 'garbage token', header: 'Bearer not.a.jwt' },
    { name: 'empty bearer', header: 'Bearer ' },
    { name: 'basic credentials', header: 'Basic ZnV6ejpmdXp6' },
    { name: 'token without scheme', header: jiangsu },
    { name: 'two tokens', header: `${bearer(jiangsu)} ${jiangsu}` },
  ];
  return { valid, refused };
};
