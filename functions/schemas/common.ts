/** Primitives every request schema shares. */
import * as z from 'zod/mini';
import { isCalendarDate } from '../domain/calendar.js';
import { PROVINCES } from '../domain/provinces.js';
import { invalid } from '../validation/parse-with.js';
import { issueMessage } from './issue-messages.js';
import { PRINTABLE, printableRefusal, type TextLines } from './printable.js';

export { refusedCharacter, type TextLines } from './printable.js';

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
 * The one check every free-text field of a request gets (names, notes, reasons, descriptions,
 * addresses): a pattern, so that the OpenAPI document states it, with an error naming the
 * character.
 */
export const printable = (lines: TextLines) => z.regex(PRINTABLE[lines], { error: printableRefusal(lines) });

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

/**
 * Parses with a zod schema or throws the ValidationError a handler throws: what the validators
 * compiled from these schemas (validation/parse-with.ts) are compared with.
 */
export const parseWith = <S extends z.ZodMiniType>(schema: S, input: unknown, what: string): z.output<S> => {
  const result = schema.safeParse(input, { error: issueMessage });
  if (!result.success) throw invalid(what, result.error.issues);
  return result.data;
};
