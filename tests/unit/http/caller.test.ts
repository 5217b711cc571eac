import { describe, expect, it } from 'vitest';
import { ForbiddenError, UnauthenticatedError } from '../../../functions/domain/errors.js';
import { callerFromEvent, parseGroups, roleFromGroups } from '../../../functions/http/caller.js';
import { httpEvent } from '../../support/fixtures.js';

describe('parseGroups', () => {
  it.each([
    ['[jiangsu]', ['jiangsu']],
    ['[coordinator jiangsu]', ['coordinator', 'jiangsu']],
    ['["anhui","zhejiang"]', ['anhui', 'zhejiang']],
    ['shanghai', ['shanghai']],
  ])('reads the authorizer form %j', (claim, groups) => {
    expect(parseGroups(claim)).toEqual(groups);
  });

  it('reads a real array', () => {
    expect(parseGroups(['jiangsu'])).toEqual(['jiangsu']);
  });
});

describe('roleFromGroups', () => {
  it('prefers the coordinator role', () => {
    expect(roleFromGroups(['jiangsu', 'coordinator'])).toBe('coordinator');
  });
  it('ignores groups that are not roles of this product', () => {
    expect(roleFromGroups(['admins', 'zhejiang'])).toBe('zhejiang');
  });
  it('refuses a token with two province offices', () => {
    expect(() => roleFromGroups(['zhejiang', 'anhui'])).toThrow(ForbiddenError);
  });
  it('refuses a token with no role', () => {
    expect(() => roleFromGroups(['admins'])).toThrow(ForbiddenError);
  });
});

describe('callerFromEvent', () => {
  it('takes subject, role and username from the verified claims', () => {
    expect(callerFromEvent(httpEvent({ role: 'anhui', subject: 'abc' }))).toEqual({
      subject: 'abc',
      role: 'anhui',
      username: 'anhui-office',
    });
  });
  it.each([['id'], [undefined]])(
    'is unauthenticated when the token is not an access token (token_use %j)',
    (use) => {
      const event = httpEvent({ role: 'anhui' });
      const claims = event.requestContext.authorizer?.jwt?.claims;
      if (!claims) throw new Error('the fixture has no claims');
      if (use === undefined) delete claims.token_use;
      else claims.token_use = use;
      expect(() => callerFromEvent(event)).toThrow(UnauthenticatedError);
    },
  );
  it('is unauthenticated when the authorizer passed no claims', () => {
    expect(() => callerFromEvent(httpEvent())).toThrow(UnauthenticatedError);
  });
});
