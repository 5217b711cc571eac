import { describe, expect, it } from 'vitest';
import { decideMilestone } from '../../../functions/domain/milestone.js';
import { DETAIL_SCHEMAS } from '../../../functions/events/detail-schemas.js';
import { eventsFromRecord } from '../../../functions/events/from-stream.js';
import { eventOfSource } from '../../../functions/events/from-table.js';
import { milestoneFromItem, milestoneToItem } from '../../../functions/storage/items.js';
import { noticeFromItem, noticeToItem } from '../../../functions/storage/notice-repository.js';
import { callerFixture, overdueNoticeFixture, projectFixture } from '../../support/fixtures.js';
import { regionImage, streamRecord } from '../../support/stream-records.js';

const milestone = (correlationId?: string) =>
  decideMilestone({
    project: projectFixture('rail-2024'),
    province: 'jiangsu',
    current: null,
    report: { value: 210, asOf: '2024-06-30' },
    caller: callerFixture('jiangsu'),
    milestoneId: 'm-corr',
    now: new Date('2024-06-30T04:00:00.000Z'),
    ...(correlationId === undefined ? {} : { correlationId }),
  }).milestone;

const valid = (event: ReturnType<typeof eventsFromRecord>[number]) =>
  DETAIL_SCHEMAS[event.detailType].safeParse(event.detail).success;

describe('the correlation id of a fact, carried by its events', () => {
  it('is stored with the milestone and carried by its event, from the stream and from the table alike', () => {
    const stored = milestoneToItem(milestone('corr-1'));
    expect(stored.correlationId).toBe('corr-1');
    const [fromStream] = eventsFromRecord(streamRecord('INSERT', stored));
    const fromTable = eventOfSource({ kind: 'milestone', milestone: milestoneFromItem(stored) });
    for (const event of [fromStream, fromTable]) {
      expect(event?.detail.correlationId).toBe('corr-1');
      if (event) expect(valid(event)).toBe(true);
    }
  });

  it("is carried by the threshold events of the report that crossed them (the region's last change)", () => {
    const before = regionImage({ jiangsu: 100 });
    const after = regionImage({ jiangsu: 400 });
    const events = eventsFromRecord(
      streamRecord(
        'MODIFY',
        { ...after, lastChange: { ...after.lastChange, correlationId: 'corr-2' } },
        before,
      ),
    );
    expect(events.map((e) => e.detail.correlationId)).toEqual(['corr-2', 'corr-2']);
    expect(events.every(valid)).toBe(true);
  });

  it("is carried by a watchdog notice's event: the run's id", () => {
    const item = noticeToItem(overdueNoticeFixture('2024-06-30T01:00:00.000Z', { correlationId: 'run-1' }));
    const [fromStream] = eventsFromRecord(streamRecord('INSERT', item));
    const fromTable = eventOfSource({ kind: 'notice', notice: noticeFromItem(item) });
    expect([fromStream?.detail.correlationId, fromTable.detail.correlationId]).toEqual(['run-1', 'run-1']);
  });

  it('is absent, not empty, on facts stored before it was kept, and the event stays valid', () => {
    const [event] = eventsFromRecord(streamRecord('INSERT', milestoneToItem(milestone())));
    expect(event && 'correlationId' in event.detail).toBe(false);
    if (event) expect(valid(event)).toBe(true);
  });
});
