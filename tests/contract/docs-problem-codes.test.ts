import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as errors from '../../functions/domain/errors.js';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PROBLEM_TYPE = 'urn:livelihood-tracker:problem:';

/** `code → status` as the table under "Problem codes" in docs/api.md lists them. */
const documentedCodes = (): Map<string, number> => {
  const page = readFileSync(`${PROJECT_ROOT}docs/api.md`, 'utf8');
  const section = /^### Problem codes\n([\s\S]*?)(?=^#)/m.exec(page)?.[1];
  if (section === undefined) throw new Error('docs/api.md has no "### Problem codes" section');
  const rows = [...section.matchAll(/^\| `([a-z-]+)` +\| (\d{3}) +\|/gm)];
  return new Map(rows.map(([, code = '', status = '']) => [code, Number(status)]));
};

/** `code → status` of every problem example in the committed openapi.json, wherever it sits. */
const openApiCodes = (): Map<string, number> => {
  const found = new Map<string, number>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const { type, status } = node as { type?: unknown; status?: unknown };
    if (typeof type === 'string' && type.startsWith(PROBLEM_TYPE) && typeof status === 'number') {
      found.set(type.slice(PROBLEM_TYPE.length), status);
    }
    Object.values(node).forEach(walk);
  };
  walk(JSON.parse(readFileSync(`${PROJECT_ROOT}openapi.json`, 'utf8')));
  return found;
};

/** Every class of the error tree but ConflictError takes a message first and carries one code. */
type SingleCodeError = new (message: string) => errors.TrackerError;

/** The codes of the error tree's classes that carry a single code (all but ConflictError). */
const singleCodes = (): string[] =>
  Object.values(errors)
    .filter(
      (value) =>
        typeof value === 'function' &&
        value.prototype instanceof errors.TrackerError &&
        value !== errors.ConflictError,
    )
    .map((ErrorType) => new (ErrorType as unknown as SingleCodeError)('x').code);

describe('the problem codes table of docs/api.md', () => {
  const documented = documentedCodes();

  it('lists every code the API description answers, with its status, and nothing else', () => {
    const described = openApiCodes();
    expect(described.size).toBeGreaterThanOrEqual(14);
    expect(Object.fromEntries([...documented].sort())).toEqual(Object.fromEntries([...described].sort()));
  });

  it('lists the code of every error class', () => {
    const codes = singleCodes();
    expect(codes).toContain('validation-failed');
    expect(codes.filter((code) => !documented.has(code))).toEqual([]);
  });

  it('lists as 409 only codes a ConflictError carries, each with its own title', () => {
    const conflicts = [...documented].filter(([, status]) => status === 409).map(([code]) => code);
    expect(conflicts).toContain('project-exists');
    for (const code of conflicts) {
      const error = new errors.ConflictError(code as errors.ConflictError['code'], 'x');
      expect(error.title, code).toEqual(expect.any(String));
    }
  });
});
