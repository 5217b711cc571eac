/**
 * The text of an issue that its schema words no message for. zod/mini carries no locale (every
 * such issue would read "Invalid input"), and the classic API's English locale is what callers
 * have always read: these are its texts, for the issue codes our schemas can raise. Written
 * without zod's `util` (reaching it through the namespace bundles all of it, ~9 KB). Passed to
 * every parse (`{ error: issueMessage }`): a message a schema states itself still wins.
 */
import type * as z from 'zod/mini';

type Issue = z.core.$ZodRawIssue;

/** How the size of a sized value is counted; anything else is compared as a value. */
const UNITS: Readonly<Record<string, string>> = { string: 'characters', array: 'items' };

/** The names the locale gives to string formats (those our schemas use). */
const FORMATS: Readonly<Record<string, string>> = {
  regex: 'input',
  uuid: 'UUID',
  url: 'URL',
  datetime: 'ISO datetime',
  date: 'ISO date',
};

/** What a value is, in the locale's words: NaN and the infinities are named as themselves. */
const received = (input: unknown): string => {
  if (typeof input === 'number') return Number.isFinite(input) ? 'number' : String(input);
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  if (typeof input === 'object' && Object.getPrototypeOf(input) !== Object.prototype && input.constructor) {
    return input.constructor.name;
  }
  return typeof input;
};

/** A value as the locale quotes it: strings in double quotes, bigints with their `n`. */
const quoted = (value: unknown): string =>
  typeof value === 'string' ? `"${value}"` : typeof value === 'bigint' ? `${value}n` : String(value);

/** The words of a value past one of its bounds. */
const BOUNDS = {
  too_big: { words: 'Too big', inclusive: '<=', exclusive: '<' },
  too_small: { words: 'Too small', inclusive: '>=', exclusive: '>' },
} as const;

const outOfBounds = (issue: Extract<Issue, { code: 'too_big' | 'too_small' }>): string => {
  const bound = BOUNDS[issue.code];
  const limit = (issue.code === 'too_big' ? issue.maximum : issue.minimum).toString();
  const comparison = issue.exact ? 'exactly ' : issue.inclusive ? bound.inclusive : bound.exclusive;
  const subject = issue.origin ?? 'value';
  const unit = UNITS[subject];
  return unit === undefined
    ? `${bound.words}: expected ${subject} to be ${comparison}${limit}`
    : `${bound.words}: expected ${subject} to have ${comparison}${limit} ${unit}`;
};

export const issueMessage = (issue: Issue): string | undefined => {
  switch (issue.code) {
    case 'invalid_type':
      return `Invalid input: expected ${issue.expected}, received ${received(issue.input)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `Invalid input: expected ${quoted(issue.values[0])}`
        : `Invalid option: expected one of ${issue.values.map(quoted).join('|')}`;
    case 'too_big':
    case 'too_small':
      return outOfBounds(issue);
    case 'invalid_format':
      return issue.format === 'regex'
        ? `Invalid string: must match pattern ${(issue as { pattern?: string }).pattern}`
        : `Invalid ${FORMATS[issue.format] ?? issue.format}`;
    case 'unrecognized_keys':
      return `Unrecognized key${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.map(quoted).join(', ')}`;
    case 'invalid_key':
      return `Invalid key in ${issue.origin}`;
    default:
      // A refinement without a message, a union no option of which matched: "Invalid input".
      return undefined;
  }
};
