/**
 * What the project routes answer: catalogue entries and their progress. They are the OpenAPI
 * document's components; their examples are attached only when the document is built
 * (examples.ts). No handler loads them: handlers validate requests only (../projects.ts).
 */
import * as z from 'zod/mini';
import { PROJECT_STATUSES } from '../../domain/progress.js';
import { AGGREGATIONS } from '../../domain/project.js';
import { calendarDate, province } from '../common.js';
import { describedDate, timestamp } from './common.js';

export const localizedText = z
  .object({
    zh: z.string().check(z.describe('Chinese (简体中文)')),
    en: z.string().check(z.describe('English')),
  })
  .check(z.meta({ id: 'LocalizedText', description: 'A text in Chinese and English.' }));

const aggregation = z
  .enum(AGGREGATIONS)
  .check(
    z.describe(
      "`sum`: the provinces' values add up to the regional target. `each`: every province must reach the target on its own.",
    ),
  );

export const projectSchema = z
  .object({
    id: z
      .string()
      .check(z.meta({ description: 'Lower-case letters, digits and hyphens', example: 'rail-2024' })),
    year: z
      .number()
      .check(
        z.int(),
        z.gte(2000),
        z.lte(2100),
        z.describe('The annual list the project belongs to; never changes'),
      ),
    name: localizedText,
    metric: z
      .nullable(localizedText)
      .check(z.describe('What is counted; null while the source does not say')),
    unit: z.nullable(localizedText),
    allowDecimals: z.boolean().check(z.describe('Kilometres may carry up to three decimals; counts may not')),
    target: z
      .nullable(z.number())
      .check(
        z.describe('The regional target for `sum`, the per-province target for `each`; null while unset'),
      ),
    targetIsMinimum: z.boolean().check(z.describe('The source\'s "以上": the target is a floor')),
    aggregation,
    startDate: describedDate('Reports may not be dated earlier', '2024-01-01'),
    deadline: describedDate('When the target is due', '2024-12-31'),
    provinceTargets: z
      .partialRecord(province, z.number())
      .check(z.describe('Optional split of a `sum` target between the provinces')),
    reportingIntervalDays: z
      .number()
      .check(z.int(), z.describe('A province that has not reported for longer than this is overdue')),
    atRiskTolerancePoints: z
      .number()
      .check(
        z.describe('Percentage points behind the straight line from start to deadline before `at-risk`'),
      ),
    version: z
      .number()
      .check(z.int(), z.gte(1), z.describe('Incremented by every change of the catalogue entry')),
    updatedAt: timestamp('When the catalogue entry last changed', '2024-01-01T00:00:00.000Z'),
  })
  .check(
    z.meta({ id: 'Project', description: 'A catalogue entry: one livelihood project of an annual list.' }),
  );

export const provinceProgressSchema = z
  .object({
    province,
    value: z.number().check(z.describe("The province's current cumulative value")),
    target: z
      .nullable(z.number())
      .check(z.describe("The province's own target: the project's for `each`, its share (if set) for `sum`")),
    percent: z.nullable(z.number()).check(z.describe('Of its own target, not capped (112.5 went past it)')),
    asOf: z.nullable(calendarDate).check(z.describe('The date the current value refers to')),
    lastReportedAt: z
      .nullable(z.string())
      .check(z.meta({ format: 'date-time', description: 'When it last reported' })),
    daysSinceLastReport: z.nullable(z.number().check(z.int())),
    reportCount: z
      .number()
      .check(z.int(), z.describe('Reports recorded, backfills and corrections included')),
    reportOverdue: z.boolean().check(z.describe('No report for longer than `reportingIntervalDays`')),
  })
  .check(z.meta({ id: 'ProvinceProgress', description: "One province's standing on a project." }));

export const projectProgressSchema = z
  .object({
    projectId: z.string(),
    aggregation,
    total: z.number().check(z.describe("Sum of the provinces' current values")),
    target: z.nullable(z.number()),
    percent: z
      .nullable(z.number())
      .check(
        z.describe(
          "`sum`: total / target, not capped. `each`: the mean of the provinces' percents, each capped at 100. Two decimals.",
        ),
      ),
    expectedPercent: z
      .nullable(z.number())
      .check(z.describe('Where a straight line from start (0 %) to deadline (100 %) stands today')),
    status: z
      .enum(PROJECT_STATUSES)
      .check(
        z.describe(
          '`at-risk`: more than `atRiskTolerancePoints` behind `expectedPercent`; `overdue`: deadline passed, not complete',
        ),
      ),
    provinces: z
      .array(provinceProgressSchema)
      .check(z.describe('Always the four provinces, in a fixed order')),
    lastReportedAt: z.nullable(z.string()).check(z.meta({ format: 'date-time' })),
  })
  .check(
    z.meta({
      id: 'ProjectProgress',
      description: "The region's and each province's progress, computed when asked (dates in China, UTC+8).",
    }),
  );

export const projectWithProgressSchema = z
  .object({ project: projectSchema, progress: projectProgressSchema })
  .check(z.meta({ id: 'ProjectWithProgress', description: 'A catalogue entry with its progress.' }));

export const projectListSchema = z
  .object({
    year: z.number().check(z.int(), z.gte(2000), z.lte(2100)),
    projects: z.array(projectWithProgressSchema),
  })
  .check(z.meta({ id: 'ProjectList', description: 'Every project of one annual list, with progress.' }));
