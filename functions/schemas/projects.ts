/**
 * What the project routes take: the catalogue entry a coordinator PUTs, the year of a listing.
 * What they answer is in responses/projects.ts, which no handler loads.
 */
import * as z from 'zod/mini';
import { AGGREGATIONS, MAX_MILESTONE_VALUE } from '../domain/project.js';
import { PROVINCES } from '../domain/provinces.js';
import { calendarDate, freeText, year } from './common.js';

const localized = (max: number) =>
  z.strictObject({
    zh: freeText(max),
    en: freeText(max),
  });

const targetValue = z.number().check(z.gt(0, 'must be greater than 0'), z.lte(MAX_MILESTONE_VALUE));

/** Body of PUT /projects/{projectId}: the full catalogue entry. */
export const projectBody = z
  .strictObject({
    year: z
      .number({ error: 'must be a number' })
      .check(z.int('must be a whole year'), z.gte(2000), z.lte(2100)),
    name: localized(200),
    metric: z._default(z.nullable(localized(300)), null),
    unit: z._default(z.nullable(localized(40)), null),
    allowDecimals: z._default(z.boolean(), false),
    target: z._default(z.nullable(targetValue), null),
    targetIsMinimum: z._default(z.boolean(), false),
    aggregation: z._default(z.enum(AGGREGATIONS), 'sum'),
    startDate: z.optional(calendarDate),
    deadline: z.optional(calendarDate),
    provinceTargets: z._default(z.partialRecord(z.enum(PROVINCES), targetValue), {}),
    reportingIntervalDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(366)), 30),
    atRiskTolerancePoints: z._default(z.number().check(z.gte(0), z.lte(100)), 10),
  })
  .check(z.meta({ id: 'ProjectDefinition' }));
export type ProjectBody = z.output<typeof projectBody>;

export const projectListQuery = z.strictObject({ year });
