import type { Caller } from '../domain/caller.js';
import { ForbiddenError, UnauthenticatedError } from '../domain/errors.js';
import { COORDINATOR, isProvince, isRole, type Role } from '../domain/provinces.js';
import type { HttpEvent, JwtClaims } from './types.js';

/** Cognito puts a user's groups in `cognito:groups`; one group per role. */
export const GROUPS_CLAIM = 'cognito:groups';

/**
 * The HTTP API JWT authorizer flattens array claims into strings: `["a","b"]` arrives as
 * `"[a b]"`. Accept both shapes so the handler works behind the authorizer and in tests.
 */
export const parseGroups = (claim: JwtClaims[string] | undefined): string[] => {
  if (claim === undefined) return [];
  if (Array.isArray(claim)) return claim.map(String);
  const text = String(claim).trim();
  if (text.startsWith('[') && text.endsWith(']')) {
    const inner = text.slice(1, -1).trim();
    if (inner.startsWith('"')) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (Array.isArray(parsed)) return parsed.map(String);
      } catch {
        // fall through to the space-separated form
      }
    }
    return inner.split(/[\s,]+/).filter((group) => group.length > 0);
  }
  return text.split(/[\s,]+/).filter((group) => group.length > 0);
};

/** A coordinator who is also in a province group acts as coordinator; two province groups are ambiguous. */
export const roleFromGroups = (groups: readonly string[]): Role => {
  const roles = groups.filter(isRole);
  if (roles.includes(COORDINATOR)) return COORDINATOR;
  const provinces = roles.filter(isProvince);
  if (provinces.length === 1 && provinces[0] !== undefined) return provinces[0];
  if (provinces.length > 1) {
    throw new ForbiddenError('The token names more than one province office; use one account per office.');
  }
  throw new ForbiddenError(
    'The token carries no role of this product (a province office or the coordinator).',
  );
};

/**
 * The caller, from claims the authorizer has already verified. The handler never takes
 * identity or role from the request body.
 */
export const callerFromEvent = (event: HttpEvent): Caller => {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  const subject = claims?.sub;
  if (claims === undefined || typeof subject !== 'string' || subject === '') {
    throw new UnauthenticatedError('This request needs a valid bearer token.');
  }
  // The authorizer accepts a Cognito ID token too (its `aud` is the client id); only the access
  // token is meant for an API, and signing out revokes it.
  if (claims.token_use !== 'access') {
    throw new UnauthenticatedError('This API takes the access token of a sign-in, not the ID token.');
  }
  const role = roleFromGroups(parseGroups(claims[GROUPS_CLAIM]));
  const username = claims['cognito:username'] ?? claims.username ?? subject;
  return { subject, role, username: String(username) };
};
