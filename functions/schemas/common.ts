/** Primitives every request schema shares, and the one way a handler validates with them. */
import * as z from 'zod/mini';
import { isCalendarDate } from '../domain/calendar.js';
import type { FieldIssue } from '../domain/errors.js';
import { ValidationError } from '../domain/errors.js';
import { PROVINCES } from '../domain/provinces.js';
import { issueMessage } from './issue-messages.js';

export const calendarDate = z
  .string()
  .check(
    z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD'),
    z.refine(isCalendarDate, 'must be a real calendar date'),
    z.meta({ format: 'date', example: '2024-06-30' }),
  );

export const province = z.enum(PROVINCES).check(z.describe('One of the four provinces (三省一市)'));

export const year = z.coerce
  .number()
  .check(
    z.int('must be a whole year'),
    z.gte(2000, 'must be 2000 or later'),
    z.lte(2100, 'must be 2100 or earlier'),
  );

/**
 * What free text may not hold, as ranges of a regular-expression class. Control characters (C0,
 * DEL, C1) corrupt logs, terminals and CSV rows; bidirectional formatting characters make text
 * display in an order other than the one it is stored in (a name can "end" in `.exe`). Line
 * breaks and tabs are the only controls a multi-line text keeps.
 */
const BIDI_CONTROLS = '\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069';
const CONTROLS = {
  'one line': '\\u0000-\\u001F\\u007F-\\u009F',
  'several lines': '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F',
} as const;
export type TextLines = keyof typeof CONTROLS;

/**
 * Whole-text patterns, without the `u` flag so that JSON Schema (and so openapi.json) can carry
 * them: a surrogate is let through only as the first half of a pair followed by its second half,
 * so a lone surrogate, which no UTF-8 store or JSON parser elsewhere takes, is refused too.
 */
const printablePattern = (lines: TextLines) =>
  new RegExp(
    `^(?:[^${CONTROLS[lines]}${BIDI_CONTROLS}\\uD800-\\uDFFF]|[\\uD800-\\uDBFF][\\uDC00-\\uDFFF])*$`,
  );
const PRINTABLE = {
  'one line': printablePattern('one line'),
  'several lines': printablePattern('several lines'),
} as const;

const codePoint = (unit: number) => `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;
const isSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdfff;
const isPair = (high: number, low: number) => high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
const BIDI_CONTROL = new RegExp(`[${BIDI_CONTROLS}]`);
const CONTROL = {
  'one line': new RegExp(`[${CONTROLS['one line']}]`),
  'several lines': new RegExp(`[${CONTROLS['several lines']}]`),
} as const;

/** The field error for the first character the pattern refuses, naming it; null if there is none. */
export const refusedCharacter = (text: string, lines: TextLines): string | null => {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (isSurrogate(unit)) {
      if (isPair(unit, text.charCodeAt(i + 1))) {
        i++;
        continue;
      }
      return `must be well-formed Unicode: ${codePoint(unit)} is half of a surrogate pair`;
    }
    const char = text.charAt(i);
    if (BIDI_CONTROL.test(char)) {
      return `must not contain bidirectional formatting characters such as ${codePoint(unit)}`;
    }
    if (CONTROL[lines].test(char)) {
      return lines === 'one line'
        ? `must not contain control characters such as ${codePoint(unit)}: it is a single line`
        : `must not contain control characters such as ${codePoint(unit)} (line breaks and tabs are allowed)`;
    }
  }
  return null;
};

/**
 * The one check every free-text field of a request gets (names, notes, reasons, descriptions,
 * addresses): a pattern, so that the OpenAPI document states it, with an error naming the
 * character.
 */
export const printable = (lines: TextLines) =>
  z.regex(PRINTABLE[lines], {
    error: (issue) => refusedCharacter(String(issue.input), lines) ?? 'must be printable text',
  });

/** Text a person types: trimmed, not empty, at most `max` characters, printable. */
export const freeText = (max: number, lines: TextLines = 'one line') =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'must not be empty'),
      z.maxLength(max, `must be at most ${max} characters`),
      printable(lines),
    );

export const toFieldIssues = (error: z.core.$ZodError): FieldIssue[] =>
  error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));

/** Parses with a schema or throws a ValidationError naming every offending field. */
export const parseWith = <S extends z.ZodMiniType>(schema: S, input: unknown, what: string): z.output<S> => {
  const result = schema.safeParse(input, { error: issueMessage });
  if (!result.success) {
    throw new ValidationError(`The ${what} is not valid.`, toFieldIssues(result.error));
  }
  return result.data;
};
