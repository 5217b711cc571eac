/**
 * Projects, the annual catalogue, and their progress: what the project routes take (the catalogue
 * entry a coordinator PUTs, the year of a listing) and what they answer. The response schemas are
 * the OpenAPI document's components; their examples are attached only when the document is built
 * (examples.ts), so that a handler validating a request never loads them.
 */
import { z } from 'zod';
import { PROJECT_STATUSES } from '../domain/progress.js';
import { AGGREGATIONS, MAX_MILESTONE_VALUE, PROJECT_ID_PATTERN } from '../domain/project.js';
import { PROVINCES } from '../domain/provinces.js';
import { calendarDate, describedDate, freeText, province, timestamp, year } from './common.js';

// ---------------------------------------------------------------------------------------------
// Requests

const localized = (max: number) =>
  z.strictObject({
    zh: freeText(max),
    en: freeText(max),
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
    aggregation: z.enum(AGGREGATIONS).default('sum'),
    startDate: calendarDate.optional(),
    deadline: calendarDate.optional(),
    provinceTargets: z.partialRecord(z.enum(PROVINCES), targetValue).default({}),
    reportingIntervalDays: z.number().int().min(1).max(366).default(30),
    atRiskTolerancePoints: z.number().min(0).max(100).default(10),
  })
  .meta({ id: 'ProjectDefinition' });
export type ProjectBody = z.output<typeof projectBody>;

export const projectListQuery = z.strictObject({ year });

// ---------------------------------------------------------------------------------------------
// Responses

export const localizedText = z
  .object({
    zh: z.string().meta({ description: 'Chinese (简体中文)' }),
    en: z.string().meta({ description: 'English' }),
  })
  .meta({ id: 'LocalizedText', description: 'A text in Chinese and English.' });

const aggregation = z.enum(AGGREGATIONS).meta({
  description:
    "`sum`: the provinces' values add up to the regional target. `each`: every province must reach the target on its own.",
});

export const projectSchema = z
  .object({
    id: z.string().meta({ description: 'Lower-case letters, digits and hyphens', example: 'rail-2024' }),
    year: z
      .number()
      .int()
      .min(2000)
      .max(2100)
      .meta({ description: 'The annual list the project belongs to; never changes' }),
    name: localizedText,
    metric: localizedText
      .nullable()
      .meta({ description: 'What is counted; null while the source does not say' }),
    unit: localizedText.nullable(),
    allowDecimals: z
      .boolean()
      .meta({ description: 'Kilometres may carry up to three decimals; counts may not' }),
    target: z.number().nullable().meta({
      description: 'The regional target for `sum`, the per-province target for `each`; null while unset',
    }),
    targetIsMinimum: z.boolean().meta({ description: 'The source\'s "以上": the target is a floor' }),
    aggregation,
    startDate: describedDate('Reports may not be dated earlier', '2024-01-01'),
    deadline: describedDate('When the target is due', '2024-12-31'),
    provinceTargets: z
      .partialRecord(province, z.number())
      .meta({ description: 'Optional split of a `sum` target between the provinces' }),
    reportingIntervalDays: z
      .number()
      .int()
      .meta({ description: 'A province that has not reported for longer than this is overdue' }),
    atRiskTolerancePoints: z.number().meta({
      description: 'Percentage points behind the straight line from start to deadline before `at-risk`',
    }),
    version: z
      .number()
      .int()
      .min(1)
      .meta({ description: 'Incremented by every change of the catalogue entry' }),
    updatedAt: timestamp('When the catalogue entry last changed', '2024-01-01T00:00:00.000Z'),
  })
  .meta({ id: 'Project', description: 'A catalogue entry: one livelihood project of an annual list.' });

export const provinceProgressSchema = z
  .object({
    province,
    value: z.number().meta({ description: "The province's current cumulative value" }),
    target: z.number().nullable().meta({
      description: "The province's own target: the project's for `each`, its share (if set) for `sum`",
    }),
    percent: z
      .number()
      .nullable()
      .meta({ description: 'Of its own target, not capped (112.5 went past it)' }),
    asOf: calendarDate.nullable().meta({ description: 'The date the current value refers to' }),
    lastReportedAt: z.string().nullable().meta({ format: 'date-time', description: 'When it last reported' }),
    daysSinceLastReport: z.number().int().nullable(),
    reportCount: z
      .number()
      .int()
      .meta({ description: 'Reports recorded, backfills and corrections included' }),
    reportOverdue: z.boolean().meta({ description: 'No report for longer than `reportingIntervalDays`' }),
  })
  .meta({ id: 'ProvinceProgress', description: "One province's standing on a project." });

export const projectProgressSchema = z
  .object({
    projectId: z.string(),
    aggregation,
    total: z.number().meta({ description: "Sum of the provinces' current values" }),
    target: z.number().nullable(),
    percent: z.number().nullable().meta({
      description:
        "`sum`: total / target, not capped. `each`: the mean of the provinces' percents, each capped at 100. Two decimals.",
    }),
    expectedPercent: z
      .number()
      .nullable()
      .meta({ description: 'Where a straight line from start (0 %) to deadline (100 %) stands today' }),
    status: z.enum(PROJECT_STATUSES).meta({
      description:
        '`at-risk`: more than `atRiskTolerancePoints` behind `expectedPercent`; `overdue`: deadline passed, not complete',
    }),
    provinces: z
      .array(provinceProgressSchema)
      .meta({ description: 'Always the four provinces, in a fixed order' }),
    lastReportedAt: z.string().nullable().meta({ format: 'date-time' }),
  })
  .meta({
    id: 'ProjectProgress',
    description: "The region's and each province's progress, computed when asked (dates in China, UTC+8).",
  });

export const projectWithProgressSchema = z
  .object({ project: projectSchema, progress: projectProgressSchema })
  .meta({ id: 'ProjectWithProgress', description: 'A catalogue entry with its progress.' });

export const projectListSchema = z
  .object({
    year: z.number().int().min(2000).max(2100),
    projects: z.array(projectWithProgressSchema),
  })
  .meta({ id: 'ProjectList', description: 'Every project of one annual list, with progress.' });
