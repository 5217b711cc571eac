import { z } from 'zod';
import { PROJECT_STATUSES } from '../domain/progress.js';
import { AGGREGATIONS } from '../domain/project.js';
import { PROVINCES, ROLES } from '../domain/provinces.js';
import { DETAIL_TYPES } from './detail-types.js';

/**
 * The event catalogue: a contract like the HTTP API. Rules (CDK and local), the publisher,
 * the notifier, subscribers' filters and the committed JSON Schemas all read it from here.
 */
export { ALL_DETAIL_TYPES, DETAIL_TYPES, type DetailType, EVENT_SOURCE } from './detail-types.js';

export const SCHEMA_VERSION = 1 as const;

/** Percentages of the regional target worth announcing, each once per project. */
export const THRESHOLDS = [25, 50, 75, 100] as const;
export type Threshold = (typeof THRESHOLDS)[number];

const actor = z
  .strictObject({
    subject: z.string(),
    username: z.string(),
    role: z.enum(ROLES),
  })
  .meta({ description: 'Who recorded the fact, from the verified token' });

const common = {
  eventId: z.uuid().meta({ description: 'Deterministic: the same fact always has the same id' }),
  schemaVersion: z.literal(SCHEMA_VERSION),
  projectId: z.string(),
  occurredAt: z.iso.datetime({ offset: true }).meta({ description: 'When the fact was committed' }),
  correlationId: z.string().optional().meta({
    description:
      "The request that caused the fact (the report's X-Correlation-Id or API request id; the watchdog run's id for its findings): the same id is in the delivery log and in every log line on the way. Absent on facts older than it.",
  }),
};

const milestoneFields = {
  ...common,
  province: z.enum(PROVINCES),
  milestoneId: z.string(),
  valueBefore: z.number().nullable().meta({ description: "The province's current value before this report" }),
  valueAfter: z.number().meta({ description: 'The reported cumulative value' }),
  asOfBefore: z.iso.date().nullable(),
  asOf: z.iso.date(),
  currentValue: z.number().meta({ description: "The province's current value after this report" }),
  note: z.string().optional(),
  evidenceUrl: z.string().optional(),
  recordedBy: actor,
};

export const milestoneRecordedDetail = z
  .strictObject({
    ...milestoneFields,
    kind: z
      .enum(['report', 'backfill'])
      .meta({ description: 'A backfill is history and leaves the current value' }),
  })
  .meta({ id: 'MilestoneRecorded', title: 'A province recorded a milestone' });

export const milestoneCorrectedDetail = z
  .strictObject({
    ...milestoneFields,
    kind: z.literal('correction'),
    correctionReason: z.string(),
  })
  .meta({ id: 'MilestoneCorrected', title: 'A province corrected its cumulative value' });

export const progressThresholdReachedDetail = z
  .strictObject({
    ...common,
    threshold: z.union(THRESHOLDS.map((t) => z.literal(t))),
    target: z.number(),
    aggregation: z.enum(AGGREGATIONS),
    percentBefore: z.number().meta({
      description:
        'Before the report, under the same target as percentAfter: already at or past the threshold when the target was lowered since the previous report',
    }),
    percentAfter: z.number(),
    totalBefore: z.number(),
    totalAfter: z.number(),
    province: z.enum(PROVINCES).meta({
      description:
        'The province whose report crossed the threshold, or the first to report after a lowered target reached it',
    }),
    asOf: z.iso.date(),
    recordedBy: actor,
  })
  .meta({
    id: 'ProgressThresholdReached',
    title: "The region's progress reached a threshold of its target",
    description:
      'Once per project and threshold, at the first report after which the region stands at or past it under the target then in force',
  });

const projectStatus = z.enum(PROJECT_STATUSES);

export const reportOverdueDetail = z
  .strictObject({
    ...common,
    occurredAt: z.iso
      .datetime({ offset: true })
      .meta({ description: 'When the watchdog committed the finding' }),
    province: z.enum(PROVINCES).meta({ description: 'The province that has not reported' }),
    lastReportedAt: z.iso
      .datetime({ offset: true })
      .nullable()
      .meta({ description: 'When the province last reported; null if it never reported on this project' }),
    lastAsOf: z.iso.date().nullable().meta({ description: "The as-of date of the province's current value" }),
    daysSinceLastReport: z.int().min(0).meta({
      description:
        "Days (China time) since the last report, or since the project's start if it never reported",
    }),
    reportingIntervalDays: z.int().min(1),
    currentValue: z.number().meta({ description: "The province's current value (0 if it never reported)" }),
  })
  .meta({
    id: 'ReportOverdue',
    title: 'A province has not reported for longer than the reporting interval',
    description:
      'Once per silence: a new report ends it, and a later silence is a new occurrence with a new id',
  });

export const projectAtRiskDetail = z
  .strictObject({
    ...common,
    occurredAt: z.iso
      .datetime({ offset: true })
      .meta({ description: 'When the watchdog committed the finding' }),
    atRisk: z
      .boolean()
      .meta({ description: 'true: the project turned at-risk; false: it is no longer at risk' }),
    status: projectStatus.meta({ description: "The project's status now" }),
    percent: z.number().nullable().meta({ description: "The region's percent of the target" }),
    expectedPercent: z
      .number()
      .nullable()
      .meta({ description: 'Where the straight line from start to deadline stands today' }),
    tolerancePoints: z.number().meta({ description: 'Points behind the line before the project is at risk' }),
    target: z.number().nullable(),
  })
  .meta({
    id: 'ProjectAtRisk',
    title: "A project's status turned at-risk, or turned back",
    description: 'Once per transition: each turn to at-risk and each turn back is its own occurrence',
  });

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
export type PublishedDetailType = keyof typeof DETAIL_SCHEMAS;

export interface DomainEvent<T extends PublishedDetailType = PublishedDetailType> {
  detailType: T;
  detail: z.output<(typeof DETAIL_SCHEMAS)[T]>;
}
