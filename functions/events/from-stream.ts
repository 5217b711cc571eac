import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { roundPercent } from '../domain/decimal.js';
import type { Milestone } from '../domain/milestone.js';
import { type RegionAggregate, type RegionChange, regionPercent } from '../domain/progress.js';
import type { Notice } from '../domain/watchdog.js';
import { DETAIL_SCHEMAS } from '../schemas/compiled/event-details.js';
import { ENTITY, NEVER_REPORTED } from '../storage/keys.js';
import { safeParse } from '../validation/parse-with.js';
import type { Validator } from '../validation/validator.js';
import {
  DETAIL_TYPES,
  type DomainEvent,
  type MilestoneCorrectedDetail,
  type MilestoneRecordedDetail,
  type ProgressThresholdReachedDetail,
  type ProjectAtRiskDetail,
  type ReportOverdueDetail,
  SCHEMA_VERSION,
  THRESHOLDS,
} from './catalogue.js';
import { deterministicEventId } from './event-id.js';

type Image = Record<string, unknown>;
type RegionImage = RegionAggregate & { projectId: string; lastChange?: RegionChange };

const imageOf = (image: Record<string, unknown> | undefined): Image | null =>
  image ? (unmarshall(image as Record<string, AttributeValue>) as Image) : null;

/**
 * The facts a committed stream record announces. Pure: the same record always gives the same
 * events with the same ids, so a retried batch publishes nothing new.
 */
export const eventsFromRecord = (record: DynamoDBRecord): DomainEvent[] => {
  const next = imageOf(record.dynamodb?.NewImage);
  if (!next) return [];
  if (next.entity === ENTITY.milestone && record.eventName === 'INSERT') {
    return [milestoneEvent(next as unknown as Milestone)];
  }
  if (next.entity === ENTITY.region && (record.eventName === 'INSERT' || record.eventName === 'MODIFY')) {
    return thresholdEvents(
      imageOf(record.dynamodb?.OldImage) as RegionImage | null,
      next as unknown as RegionImage,
    );
  }
  if (next.entity === ENTITY.notice && record.eventName === 'INSERT') {
    return [noticeEvent(next as unknown as Notice)];
  }
  return [];
};

/**
 * The record's events, or why it can never give valid ones: reading it throws, or an event it
 * gives breaks its published schema. Either way retrying cannot help, since the record never changes.
 */
export const publishableEventsFromRecord = (
  record: DynamoDBRecord,
): { events: DomainEvent[] } | { unpublishable: string } => {
  let events: DomainEvent[];
  try {
    events = eventsFromRecord(record);
  } catch (error) {
    return {
      unpublishable: `the record cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  for (const event of events) {
    const checked = safeParse(DETAIL_SCHEMAS[event.detailType] as Validator, event.detail);
    if (!checked.success) {
      const problems = checked.issues.map(
        (issue) => `${issue.path.join('.') || '(detail)'}: ${issue.message}`,
      );
      return { unpublishable: `its ${event.detailType} event breaks the schema: ${problems.join('; ')}` };
    }
  }
  return { events };
};

/** The fact's correlation id, when it has one (facts stored before it was kept have none). */
const correlationOf = (fact: { correlationId?: string | undefined }): { correlationId?: string } =>
  typeof fact.correlationId === 'string' ? { correlationId: fact.correlationId } : {};

export const milestoneEvent = (m: Milestone): DomainEvent => {
  const base = {
    schemaVersion: SCHEMA_VERSION,
    projectId: m.projectId,
    occurredAt: m.recordedAt,
    province: m.province,
    milestoneId: m.id,
    valueBefore: m.previousValue,
    valueAfter: m.value,
    asOfBefore: m.previousAsOf,
    asOf: m.asOf,
    currentValue: m.kind === 'backfill' ? (m.previousValue ?? m.value) : m.value,
    ...(m.note === undefined ? {} : { note: m.note }),
    ...(m.evidenceUrl === undefined ? {} : { evidenceUrl: m.evidenceUrl }),
    recordedBy: m.recordedBy as MilestoneRecordedDetail['recordedBy'],
    ...correlationOf(m),
  };
  if (m.kind === 'correction') {
    const detail: MilestoneCorrectedDetail = {
      eventId: deterministicEventId(DETAIL_TYPES.milestoneCorrected, m.id),
      ...base,
      kind: 'correction',
      correctionReason: m.correctionReason ?? '',
    };
    return { detailType: DETAIL_TYPES.milestoneCorrected, detail };
  }
  const detail: MilestoneRecordedDetail = {
    eventId: deterministicEventId(DETAIL_TYPES.milestoneRecorded, m.id),
    ...base,
    kind: m.kind,
  };
  return { detailType: DETAIL_TYPES.milestoneRecorded, detail };
};

/**
 * Whether a percent has reached a threshold. 75.3 km of 100.4 is 74.99999999999999 % in floating
 * point, yet exactly 75 %: a margin far below any reportable difference keeps such a hit a hit.
 */
const reached = (percent: number, threshold: number): boolean => percent >= threshold - 1e-9;

/** The id of "project P reached T %": one per project and threshold, ever. */
export const thresholdEventId = (projectId: string, threshold: number): string =>
  deterministicEventId(DETAIL_TYPES.progressThresholdReached, projectId, threshold);

/**
 * The thresholds a change offers for announcement: every one the region stands at or past after
 * it, under the target in force at the change. That is the thresholds it crossed, and those the
 * region reached earlier without an announcement (the coordinator lowered the target since the
 * last report: before and after are both at or past it under the new target). Which of them are
 * news is decided by the publisher's claims (each threshold once per project), not here. Both
 * percents use the same target, so a threshold reached through a lowered target shows a
 * `percentBefore` already past it.
 */
export const thresholdEvents = (before: RegionImage | null, after: RegionImage): DomainEvent[] => {
  const change = after.lastChange;
  if (!change || change.target === null) return [];
  const percentAfter = regionPercent(change.target, change.aggregation, after.provinceValues).percent ?? 0;
  const percentBefore = before
    ? (regionPercent(change.target, change.aggregation, before.provinceValues).percent ?? 0)
    : 0;
  return THRESHOLDS.filter((t) => reached(percentAfter, t)).map((threshold) => {
    const detail: ProgressThresholdReachedDetail = {
      eventId: thresholdEventId(after.projectId, threshold),
      schemaVersion: SCHEMA_VERSION,
      projectId: after.projectId,
      occurredAt: change.recordedAt,
      threshold,
      target: change.target as number,
      aggregation: change.aggregation,
      percentBefore: roundPercent(percentBefore),
      percentAfter: roundPercent(percentAfter),
      totalBefore: before?.total ?? 0,
      totalAfter: after.total,
      province: change.province,
      asOf: change.asOf,
      recordedBy: change.recordedBy as ProgressThresholdReachedDetail['recordedBy'],
      ...correlationOf(change),
    };
    return { detailType: DETAIL_TYPES.progressThresholdReached, detail };
  });
};

/** The id of "province P of project X has been silent since milestone M (or since the start)". */
export const overdueEventId = (projectId: string, province: string, lastMilestoneId: string | null): string =>
  deterministicEventId(DETAIL_TYPES.reportOverdue, projectId, province, lastMilestoneId ?? NEVER_REPORTED);

/** The id of "project X's n-th at-risk transition". */
export const riskEventId = (projectId: string, sequence: number): string =>
  deterministicEventId(DETAIL_TYPES.projectAtRisk, projectId, sequence);

/**
 * A watchdog notice, written once per occurrence, becomes its event; the id comes from the
 * occurrence's key, so the same occurrence always has the same id.
 */
export const noticeEvent = (notice: Notice): DomainEvent => {
  const common = {
    schemaVersion: SCHEMA_VERSION,
    projectId: notice.projectId,
    occurredAt: notice.notedAt,
    ...correlationOf(notice),
  };
  if (notice.kind === 'overdue') {
    const detail: ReportOverdueDetail = {
      eventId: overdueEventId(notice.projectId, notice.province, notice.lastMilestoneId),
      ...common,
      province: notice.province,
      lastReportedAt: notice.lastReportedAt,
      lastAsOf: notice.lastAsOf,
      daysSinceLastReport: notice.daysSinceLastReport,
      reportingIntervalDays: notice.reportingIntervalDays,
      currentValue: notice.currentValue,
    };
    return { detailType: DETAIL_TYPES.reportOverdue, detail };
  }
  const detail: ProjectAtRiskDetail = {
    eventId: riskEventId(notice.projectId, notice.sequence),
    ...common,
    atRisk: notice.atRisk,
    status: notice.status,
    percent: notice.percent,
    expectedPercent: notice.expectedPercent,
    tolerancePoints: notice.tolerancePoints,
    target: notice.target,
  };
  return { detailType: DETAIL_TYPES.projectAtRisk, detail };
};
