import { z } from 'zod';
import { MAX_MILESTONE_VALUE, PROJECT_ID_PATTERN } from '../domain/project.js';
import { PROVINCES } from '../domain/provinces.js';
import { calendarDate, year } from './common.js';

const localized = (max: number) =>
  z.strictObject({
    zh: z.string().trim().min(1, 'must not be empty').max(max),
    en: z.string().trim().min(1, 'must not be empty').max(max),
  });

const targetValue = z.number().finite().positive('must be greater than 0').max(MAX_MILESTONE_VALUE);

export const projectId = z
  .string()
  .regex(PROJECT_ID_PATTERN, 'must be lower-case letters, digits and hyphens');

/** Body of PUT /projects/{projectId}: the full catalogue entry. */
export const projectBody = z
  .strictObject({
    year: z.number({ error: 'must be a number' }).int('must be a whole year').min(2000).max(2100),
    name: localized(200),
    metric: localized(300).nullable().default(null),
    unit: localized(40).nullable().default(null),
    allowDecimals: z.boolean().default(false),
    target: targetValue.nullable().default(null),
    targetIsMinimum: z.boolean().default(false),
    aggregation: z.enum(['sum', 'each']).default('sum'),
    startDate: calendarDate.optional(),
    deadline: calendarDate.optional(),
    provinceTargets: z.partialRecord(z.enum(PROVINCES), targetValue).default({}),
    reportingIntervalDays: z.number().int().min(1).max(366).default(30),
    atRiskTolerancePoints: z.number().min(0).max(100).default(10),
  })
  .meta({ id: 'ProjectDefinition' });
export type ProjectBody = z.output<typeof projectBody>;

export const projectListQuery = z.strictObject({ year });
