/**
 * The shape of each event's detail, by detail-type: what the publisher checks every event against
 * before it is published, and what the committed JSON Schemas (events/schemas/) are generated
 * from. Only what validates details imports it; the names and constants are in catalogue.ts.
 */
import * as z from 'zod/mini';
import { PROJECT_STATUSES } from '../domain/progress.js';
import { AGGREGATIONS } from '../domain/project.js';
import { PROVINCES, ROLES } from '../domain/provinces.js';
import { DETAIL_TYPES, SCHEMA_VERSION, THRESHOLDS } from './catalogue.js';

const actor = z
  .strictObject({
    subject: z.string(),
    username: z.string(),
    role: z.enum(ROLES),
  })
  .check(z.describe('Who recorded the fact, from the verified token'));

const common = {
  eventId: z.uuid().check(z.describe('Deterministic: the same fact always has the same id')),
  schemaVersion: z.literal(SCHEMA_VERSION),
  projectId: z.string(),
  occurredAt: z.iso.datetime({ offset: true }).check(z.describe('When the fact was committed')),
  correlationId: z
    .optional(z.string())
    .check(
      z.describe(
        "The request that caused the fact (the report's X-Correlation-Id or API request id; the watchdog run's id for its findings): the same id is in the delivery log and in every log line on the way. Absent on facts older than it.",
      ),
    ),
};

const milestoneFields = {
  ...common,
  province: z.enum(PROVINCES),
  milestoneId: z.string(),
  valueBefore: z.nullable(z.number()).check(z.describe("The province's current value before this report")),
  valueAfter: z.number().check(z.describe('The reported cumulative value')),
  asOfBefore: z.nullable(z.iso.date()),
  asOf: z.iso.date(),
  currentValue: z.number().check(z.describe("The province's current value after this report")),
  note: z.optional(z.string()),
  evidenceUrl: z.optional(z.string()),
  recordedBy: actor,
};

export const milestoneRecordedDetail = z
  .strictObject({
    ...milestoneFields,
    kind: z
      .enum(['report', 'backfill'])
      .check(z.describe('A backfill is history and leaves the current value')),
  })
  .check(z.meta({ id: 'MilestoneRecorded', title: 'A province recorded a milestone' }));

export const milestoneCorrectedDetail = z
  .strictObject({
    ...milestoneFields,
    kind: z.literal('correction'),
    correctionReason: z.string(),
  })
  .check(z.meta({ id: 'MilestoneCorrected', title: 'A province corrected its cumulative value' }));

export const progressThresholdReachedDetail = z
  .strictObject({
    ...common,
    threshold: z.union(THRESHOLDS.map((t) => z.literal(t))),
    target: z.number(),
    aggregation: z.enum(AGGREGATIONS),
    percentBefore: z
      .number()
      .check(
        z.describe(
          'Before the report, under the same target as percentAfter: already at or past the threshold when the target was lowered since the previous report',
        ),
      ),
    percentAfter: z.number(),
    totalBefore: z.number(),
    totalAfter: z.number(),
    province: z
      .enum(PROVINCES)
      .check(
        z.describe(
          'The province whose report crossed the threshold, or the first to report after a lowered target reached it',
        ),
      ),
    asOf: z.iso.date(),
    recordedBy: actor,
  })
  .check(
    z.meta({
      id: 'ProgressThresholdReached',
      title: "The region's progress reached a threshold of its target",
      description:
        'Once per project and threshold, at the first report after which the region stands at or past it under the target then in force',
    }),
  );

const projectStatus = z.enum(PROJECT_STATUSES);

/** What the watchdog found: when it committed the finding, not when a report was. */
const findingOccurredAt = z.iso
  .datetime({ offset: true })
  .check(z.describe('When the watchdog committed the finding'));

export const reportOverdueDetail = z
  .strictObject({
    ...common,
    occurredAt: findingOccurredAt,
    province: z.enum(PROVINCES).check(z.describe('The province that has not reported')),
    lastReportedAt: z
      .nullable(z.iso.datetime({ offset: true }))
      .check(z.describe('When the province last reported; null if it never reported on this project')),
    lastAsOf: z.nullable(z.iso.date()).check(z.describe("The as-of date of the province's current value")),
    daysSinceLastReport: z
      .int()
      .check(
        z.gte(0),
        z.describe(
          "Days (China time) since the last report, or since the project's start if it never reported",
        ),
      ),
    reportingIntervalDays: z.int().check(z.gte(1)),
    currentValue: z.number().check(z.describe("The province's current value (0 if it never reported)")),
  })
  .check(
    z.meta({
      id: 'ReportOverdue',
      title: 'A province has not reported for longer than the reporting interval',
      description:
        'Once per silence: a new report ends it, and a later silence is a new occurrence with a new id',
    }),
  );

export const projectAtRiskDetail = z
  .strictObject({
    ...common,
    occurredAt: findingOccurredAt,
    atRisk: z.boolean().check(z.describe('true: the project turned at-risk; false: it is no longer at risk')),
    status: projectStatus.check(z.describe("The project's status now")),
    percent: z.nullable(z.number()).check(z.describe("The region's percent of the target")),
    expectedPercent: z
      .nullable(z.number())
      .check(z.describe('Where the straight line from start to deadline stands today')),
    tolerancePoints: z.number().check(z.describe('Points behind the line before the project is at risk')),
    target: z.nullable(z.number()),
  })
  .check(
    z.meta({
      id: 'ProjectAtRisk',
      title: "A project's status turned at-risk, or turned back",
      description: 'Once per transition: each turn to at-risk and each turn back is its own occurrence',
    }),
  );

export type MilestoneRecordedDetail = z.output<typeof milestoneRecordedDetail>;
export type MilestoneCorrectedDetail = z.output<typeof milestoneCorrectedDetail>;
export type ProgressThresholdReachedDetail = z.output<typeof progressThresholdReachedDetail>;
export type ReportOverdueDetail = z.output<typeof reportOverdueDetail>;
export type ProjectAtRiskDetail = z.output<typeof projectAtRiskDetail>;

/** Detail schemas by detail-type: every type of the catalogue is published. */
export const DETAIL_SCHEMAS = {
  [DETAIL_TYPES.milestoneRecorded]: milestoneRecordedDetail,
  [DETAIL_TYPES.milestoneCorrected]: milestoneCorrectedDetail,
  [DETAIL_TYPES.progressThresholdReached]: progressThresholdReachedDetail,
  [DETAIL_TYPES.reportOverdue]: reportOverdueDetail,
  [DETAIL_TYPES.projectAtRisk]: projectAtRiskDetail,
} as const;
export type DetailSchemas = typeof DETAIL_SCHEMAS;
export type DetailOf<T extends keyof DetailSchemas> = z.output<DetailSchemas[T]>;
