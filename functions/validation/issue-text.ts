/**
 * How a raised issue becomes the text a caller reads, in zod's order: the map of what raised it,
 * then the map of the schema whose check it was, then issueMessage (the English texts every parse
 * is given), then "Invalid input".
 */
import { issueMessage } from '../schemas/issue-messages.js';
import type { RawIssue } from './validator.js';

export interface Issue {
  path: PropertyKey[];
  message: string;
}

const unwrap = (message: string | { message: string } | null | undefined): string | undefined =>
  typeof message === 'string' ? message : (message?.message ?? undefined);

export const finalizeIssue = (issue: RawIssue): Issue => {
  const inst = issue.inst;
  if (inst?.pureType) issue.schema = inst;
  else if (inst) issue.schema ??= inst;
  const schemaError = issue.schema !== inst ? issue.schema?.error : undefined;
  const message = issue.message
    ? issue.message
    : (unwrap(inst?.error?.(issue)) ??
      unwrap(schemaError?.(issue)) ??
      issueMessage(issue as Parameters<typeof issueMessage>[0]) ??
      'Invalid input');
  return { path: issue.path ?? [], message };
};
