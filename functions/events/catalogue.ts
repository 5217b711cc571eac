import type { DetailOf, DetailSchemas } from './detail-schemas.js';

export type {
  MilestoneCorrectedDetail,
  MilestoneRecordedDetail,
  ProgressThresholdReachedDetail,
  ProjectAtRiskDetail,
  ReportOverdueDetail,
} from './detail-schemas.js';

/**
 * The event catalogue: a contract like the HTTP API. Rules (CDK and local), the publisher,
 * the notifier, subscribers' filters and the committed JSON Schemas all read it from here.
 * The shape of each detail is in detail-schemas.ts, which only what validates details loads:
 * a function that needs a detail-type's name bundles no schema.
 */
export const EVENT_SOURCE = 'yrd.livelihood-tracker';

export const DETAIL_TYPES = {
  milestoneRecorded: 'MilestoneRecorded',
  milestoneCorrected: 'MilestoneCorrected',
  progressThresholdReached: 'ProgressThresholdReached',
  reportOverdue: 'ReportOverdue',
  projectAtRisk: 'ProjectAtRisk',
} as const;
export type DetailType = (typeof DETAIL_TYPES)[keyof typeof DETAIL_TYPES];
export const ALL_DETAIL_TYPES = Object.values(DETAIL_TYPES) as [DetailType, ...DetailType[]];

export const SCHEMA_VERSION = 1 as const;

/** Percentages of the regional target worth announcing, each once per project. */
export const THRESHOLDS = [25, 50, 75, 100] as const;
export type Threshold = (typeof THRESHOLDS)[number];

/** The detail-types the publisher publishes: every type of the catalogue has a detail schema. */
export type PublishedDetailType = keyof DetailSchemas;

export interface DomainEvent<T extends PublishedDetailType = PublishedDetailType> {
  detailType: T;
  detail: DetailOf<T>;
}
