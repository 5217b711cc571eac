/** Parts every response schema shares: a date-time, a described date, who did something. */
import * as z from 'zod/mini';
import { ROLES } from '../../domain/provinces.js';
import { calendarDate } from '../common.js';

/** A date-time as the API writes it, in a response. */
export const timestamp = (description: string, example = '2024-06-30T04:00:00.000Z') =>
  z.string().check(z.meta({ format: 'date-time', description, example }));

/** A calendar date in a response, described for the reader. */
export const describedDate = (description: string, example = '2024-06-30') =>
  calendarDate.check(z.meta({ description, example }));

export const actor = z
  .object({
    subject: z.string().check(z.describe("The token's `sub`: stable per user")),
    username: z.string().check(z.describe('A display name for the audit trail')),
    role: z.enum(ROLES).check(z.describe('A province office or the coordinator (长三角区域合作办)')),
  })
  .check(
    z.meta({
      id: 'Actor',
      description: 'Who did something, as established from the verified token (never from a request body).',
    }),
  );
