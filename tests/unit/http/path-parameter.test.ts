import { describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../../functions/domain/errors.js';
import { pathParameter } from '../../../functions/http/path-parameter.js';
import { projectIdFrom } from '../../../functions/http/request.js';
import { projectId } from '../../../functions/schemas/projects.js';
import { httpEvent } from '../../support/fixtures.js';

/** Counts the object schemas zod builds, passing every call through. */
const built = vi.hoisted(() => ({ objects: 0 }));
vi.mock('zod', async (importOriginal) => {
  const actual = await importOriginal<typeof import('zod')>();
  const object: typeof actual.z.object = (...args) => {
    built.objects += 1;
    return actual.z.object(...args);
  };
  return { ...actual, z: { ...actual.z, object } };
});

const withPath = (pathParameters: Record<string, string>) => httpEvent({ path: '/x', pathParameters });

describe('pathParameter', () => {
  it('reads the parameter, checked against its schema', () => {
    const read = pathParameter('projectId', projectId);
    expect(read(withPath({ projectId: 'rail-2024' }))).toBe('rail-2024');
  });

  it('refuses a missing or malformed parameter, naming it as a field of the path', () => {
    const read = pathParameter('projectId', projectId);
    for (const event of [withPath({}), withPath({ projectId: '../etc' })]) {
      let error: unknown;
      try {
        read(event);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).message).toBe('The path is not valid.');
      expect((error as ValidationError).issues.map((issue) => issue.field)).toEqual(['projectId']);
    }
  });

  it('builds its schema once, not on every request (each build costs ~80× the parse)', () => {
    const read = pathParameter('projectId', projectId);
    const before = built.objects;
    for (let i = 0; i < 5; i++) read(withPath({ projectId: 'rail-2024' }));
    expect(built.objects).toBe(before);
  });

  it('is how projectIdFrom reads the project id', () => {
    const before = built.objects;
    expect(projectIdFrom(withPath({ projectId: 'rail-2024' }))).toBe('rail-2024');
    expect(projectIdFrom(withPath({ projectId: 'ev-charging-2024' }))).toBe('ev-charging-2024');
    expect(built.objects).toBe(before);
  });
});
