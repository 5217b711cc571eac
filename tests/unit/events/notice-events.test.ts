import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { OverdueFinding, RiskFinding } from '../../../functions/domain/watchdog.js';
import { DETAIL_SCHEMAS } from '../../../functions/events/detail-schemas.js';
import {
  eventsFromRecord,
  noticeEvent,
  overdueEventId,
  riskEventId,
} from '../../../functions/events/from-stream.js';
import { STREAM_SOURCE } from '../../../functions/events/plumbing.js';
import { ENTITY, watchStateKey } from '../../../functions/storage/keys.js';
import { noticeToItem } from '../../../functions/storage/notice-repository.js';
import { matchesPattern } from '../../../local/eventbridge/event-pattern.js';
import { streamRecord } from '../../support/stream-records.js';

const NOTED_AT = '2024-06-30T01:00:00.000Z';

const overdue = (changes: Partial<OverdueFinding> = {}): OverdueFinding => ({
  kind: 'overdue',
  projectId: 'rail-2024',
  province: 'anhui',
  lastMilestoneId: 'm-anhui-1',
  lastReportedAt: '2024-05-01T02:00:00.000Z',
  lastAsOf: '2024-04-30',
  daysSinceLastReport: 60,
  reportingIntervalDays: 30,
  currentValue: 33.5,
  ...changes,
});

const risk = (changes: Partial<RiskFinding> = {}): RiskFinding => ({
  kind: 'risk',
  projectId: 'rail-2024',
  sequence: 1,
  atRisk: true,
  previousStatus: 'on-track',
  status: 'at-risk',
  percent: 5.08,
  expectedPercent: 49.59,
  tolerancePoints: 10,
  target: 660,
  ...changes,
});

const noticeInsert = (finding: OverdueFinding | RiskFinding) =>
  streamRecord('INSERT', noticeToItem({ ...finding, notedAt: NOTED_AT }));

/** Whether the publisher's event source mapping lets the record through (its filter criteria). */
const wakesPublisher = (record: DynamoDBRecord) =>
  STREAM_SOURCE.filterPatterns.some((pattern) => matchesPattern(pattern, record));

describe('watchdog notices on the stream', () => {
  it('announce a new overdue notice as ReportOverdue with the figures the watchdog saw', () => {
    const events = eventsFromRecord(noticeInsert(overdue()));
    expect(events).toEqual([
      {
        detailType: 'ReportOverdue',
        detail: {
          eventId: overdueEventId('rail-2024', 'anhui', 'm-anhui-1'),
          schemaVersion: 1,
          projectId: 'rail-2024',
          occurredAt: NOTED_AT,
          province: 'anhui',
          lastReportedAt: '2024-05-01T02:00:00.000Z',
          lastAsOf: '2024-04-30',
          daysSinceLastReport: 60,
          reportingIntervalDays: 30,
          currentValue: 33.5,
        },
      },
    ]);
    expect(DETAIL_SCHEMAS.ReportOverdue.safeParse(events[0]?.detail).success).toBe(true);
  });

  it('announce a province that never reported with null last report and as-of date', () => {
    const [event] = eventsFromRecord(
      noticeInsert(overdue({ lastMilestoneId: null, lastReportedAt: null, lastAsOf: null, currentValue: 0 })),
    );
    expect(event?.detail).toMatchObject({
      eventId: overdueEventId('rail-2024', 'anhui', null),
      lastReportedAt: null,
      lastAsOf: null,
      currentValue: 0,
    });
    expect(DETAIL_SCHEMAS.ReportOverdue.safeParse(event?.detail).success).toBe(true);
  });

  it('announce a new risk notice as ProjectAtRisk, for a turn to at-risk and for a turn back', () => {
    const [into] = eventsFromRecord(noticeInsert(risk()));
    expect(into).toEqual({
      detailType: 'ProjectAtRisk',
      detail: {
        eventId: riskEventId('rail-2024', 1),
        schemaVersion: 1,
        projectId: 'rail-2024',
        occurredAt: NOTED_AT,
        atRisk: true,
        status: 'at-risk',
        percent: 5.08,
        expectedPercent: 49.59,
        tolerancePoints: 10,
        target: 660,
      },
    });
    const [back] = eventsFromRecord(
      noticeInsert(risk({ sequence: 2, atRisk: false, previousStatus: 'at-risk', status: 'on-track' })),
    );
    expect(back?.detail).toMatchObject({
      eventId: riskEventId('rail-2024', 2),
      atRisk: false,
      status: 'on-track',
    });
    for (const event of [into, back]) {
      expect(DETAIL_SCHEMAS.ProjectAtRisk.safeParse(event?.detail).success).toBe(true);
    }
  });

  it('give an occurrence the same id however often it is read, and another occurrence another id', () => {
    const ids = [
      overdueEventId('rail-2024', 'anhui', 'm-anhui-1'),
      overdueEventId('rail-2024', 'anhui', 'm-anhui-2'),
      overdueEventId('rail-2024', 'anhui', null),
      overdueEventId('rail-2024', 'jiangsu', 'm-anhui-1'),
      overdueEventId('ev-charging-2024', 'anhui', 'm-anhui-1'),
      riskEventId('rail-2024', 1),
      riskEventId('rail-2024', 2),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    const record = noticeInsert(overdue());
    expect(eventsFromRecord(structuredClone(record))[0]?.detail.eventId).toBe(ids[0]);
    // The id depends on the occurrence, not on when or with what figures it was noted.
    expect(
      noticeEvent({ ...overdue({ daysSinceLastReport: 61 }), notedAt: '2024-07-01T01:00:00.000Z' }).detail
        .eventId,
    ).toBe(ids[0]);
  });

  it('announce nothing for a notice that is modified or removed, or for the watch state', () => {
    const item = noticeToItem({ ...overdue(), notedAt: NOTED_AT });
    expect(eventsFromRecord(streamRecord('MODIFY', item, item))).toEqual([]);
    expect(eventsFromRecord(streamRecord('REMOVE', null, item))).toEqual([]);
    const state = {
      ...watchStateKey('rail-2024'),
      entity: ENTITY.watchState,
      projectId: 'rail-2024',
      status: 'at-risk',
      riskTransitions: 1,
      version: 1,
      updatedAt: NOTED_AT,
    };
    expect(eventsFromRecord(streamRecord('INSERT', state))).toEqual([]);
  });

  it('wake the publisher only when a notice is inserted, not for the watch state', () => {
    const item = noticeToItem({ ...risk(), notedAt: NOTED_AT });
    expect(wakesPublisher(streamRecord('INSERT', item))).toBe(true);
    expect(wakesPublisher(streamRecord('MODIFY', item, item))).toBe(false);
    const state = { ...watchStateKey('rail-2024'), entity: ENTITY.watchState, status: 'at-risk' };
    expect(wakesPublisher(streamRecord('INSERT', state))).toBe(false);
    expect(wakesPublisher(streamRecord('MODIFY', state, state))).toBe(false);
  });

  it('store each occurrence under its own key', () => {
    expect(noticeToItem({ ...overdue(), notedAt: NOTED_AT })).toMatchObject({
      PK: 'PROJECT#rail-2024',
      SK: 'NOTICE#OVERDUE#anhui#m-anhui-1',
      entity: 'Notice',
    });
    expect(noticeToItem({ ...overdue({ lastMilestoneId: null }), notedAt: NOTED_AT }).SK).toBe(
      'NOTICE#OVERDUE#anhui#never',
    );
    expect(noticeToItem({ ...risk({ sequence: 12 }), notedAt: NOTED_AT }).SK).toBe('NOTICE#RISK#000012');
  });
});
