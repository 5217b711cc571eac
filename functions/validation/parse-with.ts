/** The one way a handler validates: with a compiled validator, into a ValidationError naming every field. */
import type { FieldIssue } from '../domain/errors.js';
import { ValidationError } from '../domain/errors.js';
import { finalizeIssue, type Issue } from './issue-text.js';
import type { Validator } from './validator.js';

export type SafeParse<T> = { success: true; data: T } | { success: false; issues: Issue[] };

export const safeParse = <T>(schema: Validator<T>, input: unknown): SafeParse<T> => {
  const result = schema.run({ value: input, issues: [] });
  return result.issues.length
    ? { success: false, issues: result.issues.map(finalizeIssue) }
    : { success: true, data: result.value as T };
};

export const toFieldIssues = (
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): FieldIssue[] =>
  issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));

/** The error a request that breaks its schema is answered with. */
export const invalid = (what: string, issues: readonly { path: readonly PropertyKey[]; message: string }[]) =>
  new ValidationError(`The ${what} is not valid.`, toFieldIssues(issues));

/** Parses with a compiled validator or throws a ValidationError naming every offending field. */
export const parseWith = <T>(schema: Validator<T>, input: unknown, what: string): T => {
  const result = safeParse(schema, input);
  if (!result.success) throw invalid(what, result.issues);
  return result.data;
};
