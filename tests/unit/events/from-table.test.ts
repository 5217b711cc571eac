import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import type { Notice } from '../../../functions/domain/watchdog.js';
import type { ProgressThresholdReachedDetail, Threshold } from '../../../functions/events/catalogue.js';
import { deterministicEventId } from '../../../functions/events/event-id.js';
import { eventsFromRecord } from '../../../functions/events/from-stream.js';
import { eventOfSource, eventsOfSources } from '../../../functions/events/from-table.js';
import { milestoneFromItem } from '../../../functions/storage/items.js';
import { noticeFromItem, noticeToItem } from '../../../functions/storage/notice-repository.js';
import { milestoneInsert, streamRecord } from '../../support/stream-records.js';

const notice: Notice = {
  kind: 'risk',
  projectId: 'rail-2024',
  sequence: 2,
  atRisk: false,
  previousStatus: 'at-risk',
  status: 'on-track',
  percent: 61,
  expectedPercent: 60,
  tolerancePoints: 10,
  target: 660,
  notedAt: '2024-07-01T01:00:00.000Z',
};

const claimed = (threshold: Threshold, occurredAt: string): ProgressThresholdReachedDetail => ({
  eventId: deterministicEventId('ProgressThresholdReached', 'rail-2024', threshold),
  schemaVersion: 1,
  projectId: 'rail-2024',
  occurredAt,
  threshold,
  target: 660,
  aggregation: 'sum',
  percentBefore: 10,
  percentAfter: 60,
  totalBefore: 66,
  totalAfter: 396,
  province: 'jiangsu',
  asOf: '2024-06-30',
  recordedBy: { subject: 'user-jiangsu', username: 'jiangsu-office', role: 'jiangsu' },
});

describe('the event a stored fact announces', () => {
  it('is, for a milestone item, the event the stream published for its INSERT', () => {
    const insert = milestoneInsert('zhejiang', { value: 12, asOf: '2024-06-30' }, null, 'm-42');
    const item = unmarshall(insert.dynamodb?.NewImage as Record<string, AttributeValue>);

    const event = eventOfSource({ kind: 'milestone', milestone: milestoneFromItem(item) });

    expect(event).toEqual(eventsFromRecord(insert)[0]);
    expect(event.detail.eventId).toBe(deterministicEventId('MilestoneRecorded', 'm-42'));
  });

  it('is, for a watchdog notice item, the event the stream published for its INSERT', () => {
    const item = noticeToItem(notice);
    const event = eventOfSource({ kind: 'notice', notice: noticeFromItem(item) });
    expect(event).toEqual(eventsFromRecord(streamRecord('INSERT', item))[0]);
    expect(event.detail.eventId).toBe(deterministicEventId('ProjectAtRisk', 'rail-2024', 2));
  });

  it('is, for a threshold claim, the announcement with the detail it was claimed with', () => {
    const detail = claimed(50, '2024-06-30T04:00:00.000Z');
    expect(eventOfSource({ kind: 'threshold', claim: { status: 'claimed', detail } })).toEqual({
      detailType: 'ProgressThresholdReached',
      detail,
    });
  });
});

describe('eventsOfSources', () => {
  it('orders the events by when they occurred, then by id, each once', () => {
    const late = claimed(75, '2024-07-02T00:00:00.000Z');
    const early = claimed(25, '2024-06-30T00:00:00.000Z');
    const events = eventsOfSources([
      { kind: 'threshold', claim: { status: 'published', detail: late } },
      { kind: 'notice', notice },
      { kind: 'threshold', claim: { status: 'published', detail: early } },
      { kind: 'notice', notice },
    ]);
    expect(events.map((event) => event.detail.occurredAt)).toEqual([
      '2024-06-30T00:00:00.000Z',
      '2024-07-01T01:00:00.000Z',
      '2024-07-02T00:00:00.000Z',
    ]);
  });
});
