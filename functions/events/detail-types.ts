/**
 * The names of the event catalogue (catalogue.ts holds their schemas): the bus's source and the
 * detail-types. Apart from the schemas so that what only names events (the rules in plumbing.ts,
 * which every event function reads for its settings) does not bundle every schema and zod.
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
