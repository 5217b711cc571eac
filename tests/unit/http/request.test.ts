import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../functions/domain/errors.js';
import { pathParameterFrom, projectIdFrom } from '../../../functions/http/request.js';
import { buildOpenApiDocument, type JsonObject } from '../../../functions/http/spec/index.js';
import { httpEvent } from '../../support/fixtures.js';

const withPath = (pathParameters: Record<string, string>) => httpEvent({ path: '/x', pathParameters });

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    const { message, issues } = error as ValidationError;
    return { message, issues };
  }
  throw new Error('accepted');
};

describe('path parameters', () => {
  it('takes a well-formed project, subscription or replay id as it is', () => {
    expect(projectIdFrom(withPath({ projectId: 'rail-2024' }))).toBe('rail-2024');
    const id = '0b6c1f1e-2f0e-4d55-9a55-3f7b2c1d9e01';
    expect(pathParameterFrom(withPath({ subscriptionId: id }), 'subscriptionId')).toBe(id);
    expect(pathParameterFrom(withPath({ replayId: 'AbC_123-x' }), 'replayId')).toBe('AbC_123-x');
  });

  it.each([
    ['projectId', 'Rail-2024', 'must be lower-case letters, digits and hyphens'],
    ['projectId', 'rail-', 'must be lower-case letters, digits and hyphens'],
    ['projectId', '', 'must be lower-case letters, digits and hyphens'],
    ['subscriptionId', 'short', 'must be a subscription id'],
    ['subscriptionId', `${'a'.repeat(64)}b`, 'must be a subscription id'],
    ['replayId', 'not/an/id', 'must be a replay id'],
  ] as const)('refuses %s %j with the text the API has always answered', (name, value, text) => {
    expect(refusal(() => pathParameterFrom(withPath({ [name]: value }), name))).toEqual({
      message: 'The path is not valid.',
      issues: [{ field: name, message: text }],
    });
  });

  it('refuses a path without the parameter', () => {
    expect(refusal(() => projectIdFrom(httpEvent({ path: '/x' }))).issues).toEqual([
      { field: 'projectId', message: 'must be lower-case letters, digits and hyphens' },
    ]);
  });

  it('are described in the API document by the very patterns they are checked with', () => {
    const paths = buildOpenApiDocument().paths as Record<string, Record<string, JsonObject>>;
    const stated = new Map<string, string>();
    for (const operation of Object.values(paths).flatMap((item) => Object.values(item))) {
      for (const parameter of (operation.parameters ?? []) as JsonObject[]) {
        if (parameter.in !== 'path') continue;
        stated.set(parameter.name as string, (parameter.schema as { pattern: string }).pattern);
      }
    }
    expect([...stated.keys()].sort()).toEqual(['projectId', 'replayId', 'subscriptionId']);
    for (const [name, pattern] of stated) {
      const check = new RegExp(pattern);
      for (const value of ['rail-2024', 'Rail-2024', 'AbC_123-x', 'short', 'not/an/id', 'a'.repeat(65)]) {
        const accepted = (() => {
          try {
            pathParameterFrom(withPath({ [name]: value }), name as 'projectId');
            return true;
          } catch {
            return false;
          }
        })();
        expect(accepted, `${name} ${value}`).toBe(check.test(value));
      }
    }
  });
});
