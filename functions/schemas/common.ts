/** Primitives every resource's schemas share, and the one way a handler validates with them. */
import { z } from 'zod';
import { isCalendarDate } from '../domain/calendar.js';
import type { FieldIssue } from '../domain/errors.js';
import { ValidationError } from '../domain/errors.js';
import { PROVINCES, ROLES } from '../domain/provinces.js';

export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine(isCalendarDate, 'must be a real calendar date')
  .meta({ format: 'date', example: '2024-06-30' });

export const province = z.enum(PROVINCES).meta({ description: 'One of the four provinces (三省一市)' });

export const year = z.coerce
  .number()
  .int('must be a whole year')
  .min(2000, 'must be 2000 or later')
  .max(2100, 'must be 2100 or earlier');

/** A date-time as the API writes it, in a response. */
export const timestamp = (description: string, example = '2024-06-30T04:00:00.000Z') =>
  z.string().meta({ format: 'date-time', description, example });

/** A calendar date in a response, described for the reader. */
export const describedDate = (description: string, example = '2024-06-30') =>
  calendarDate.meta({ description, example });

export const actor = z
  .object({
    subject: z.string().meta({ description: "The token's `sub`: stable per user" }),
    username: z.string().meta({ description: 'A display name for the audit trail' }),
    role: z.enum(ROLES).meta({ description: 'A province office or the coordinator (长三角区域合作办)' }),
  })
  .meta({
    id: 'Actor',
    description: 'Who did something, as established from the verified token (never from a request body).',
  });

export const toFieldIssues = (error: z.ZodError): FieldIssue[] =>
  error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));

/** Parses with a schema or throws a ValidationError naming every offending field. */
export const parseWith = <S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> => {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ValidationError(`The ${what} is not valid.`, toFieldIssues(result.error));
  }
  return result.data;
};
