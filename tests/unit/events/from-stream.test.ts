import { describe, expect, it } from 'vitest';
import { eventsFromRecord, thresholdEventId } from '../../../functions/events/from-stream.js';
import { provinceToItem } from '../../../functions/storage/items.js';
import { provinceState } from '../../support/fixtures.js';
import { milestoneInsert, regionImage, regionModify, streamRecord } from '../../support/stream-records.js';

describe('eventsFromRecord for milestones', () => {
  it('announces a new milestone as MilestoneRecorded with values before and after', () => {
    const record = milestoneInsert(
      'jiangsu',
      { value: 210, asOf: '2024-06-30' },
      provinceState('jiangsu', 150, '2024-05-31'),
    );
    const [event, ...rest] = eventsFromRecord(record);
    expect(rest).toEqual([]);
    expect(event?.detailType).toBe('MilestoneRecorded');
    expect(event?.detail).toMatchObject({
      schemaVersion: 1,
      projectId: 'rail-2024',
      province: 'jiangsu',
      valueBefore: 150,
      valueAfter: 210,
      asOfBefore: '2024-05-31',
      asOf: '2024-06-30',
      currentValue: 210,
      kind: 'report',
      recordedBy: { role: 'jiangsu', subject: 'user-jiangsu' },
    });
  });

  it('gives the same fact the same event id every time it is read', () => {
    const record = milestoneInsert('anhui', { value: 5, asOf: '2024-06-30' }, null, 'fixed-id');
    const first = eventsFromRecord(record)[0]?.detail.eventId;
    const again = eventsFromRecord(structuredClone(record))[0]?.detail.eventId;
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(again).toBe(first);
    expect(
      eventsFromRecord(milestoneInsert('anhui', { value: 5, asOf: '2024-06-30' }, null, 'other-id'))[0]
        ?.detail.eventId,
    ).not.toBe(first);
  });

  it('announces a lower value with a reason as MilestoneCorrected', () => {
    const record = milestoneInsert(
      'jiangsu',
      { value: 200, asOf: '2024-06-30', correctionReason: '重复统计' },
      provinceState('jiangsu', 210, '2024-06-30'),
    );
    expect(eventsFromRecord(record)[0]).toMatchObject({
      detailType: 'MilestoneCorrected',
      detail: { kind: 'correction', correctionReason: '重复统计', valueBefore: 210, valueAfter: 200 },
    });
  });

  it('keeps the current value in a backfill announcement', () => {
    const record = milestoneInsert(
      'jiangsu',
      { value: 100, asOf: '2024-03-31' },
      provinceState('jiangsu', 210, '2024-06-30'),
    );
    expect(eventsFromRecord(record)[0]?.detail).toMatchObject({
      kind: 'backfill',
      valueAfter: 100,
      currentValue: 210,
    });
  });
});

describe('eventsFromRecord for the region aggregate', () => {
  it('announces each threshold the change crossed upwards', () => {
    const events = eventsFromRecord(
      regionModify({ jiangsu: 100 }, { jiangsu: 100, anhui: 300 }, { province: 'anhui' }),
    );
    expect(events.map((e) => e.detail)).toEqual([
      expect.objectContaining({
        threshold: 25,
        percentBefore: 15.15,
        percentAfter: 60.61,
        province: 'anhui',
        totalAfter: 400,
      }),
      expect.objectContaining({ threshold: 50 }),
    ]);
    expect(events[0]?.detail.eventId).toBe(thresholdEventId('rail-2024', 25));
  });

  it('announces a threshold hit exactly even when floating point lands a hair below it', () => {
    // 75.3 / 100.4 * 100 is 74.99999999999999 in floating point, and exactly 75 in decimal.
    const events = eventsFromRecord(regionModify({ jiangsu: 70 }, { jiangsu: 75.3 }, { target: 100.4 }));
    expect(events.map((e) => e.detail)).toEqual(
      [25, 50, 75].map((threshold) => expect.objectContaining({ threshold })),
    );
    expect(events[2]?.detail).toMatchObject({ percentBefore: 69.72, percentAfter: 75 });
  });

  it('offers nothing while the region stands below 25 %', () => {
    expect(eventsFromRecord(regionModify({ jiangsu: 100 }, { jiangsu: 160 }))).toEqual([]);
    expect(eventsFromRecord(regionModify({ jiangsu: 200 }, { jiangsu: 100 }))).toEqual([]);
  });

  it('offers every threshold the region stands past, crossed now or before: the publisher decides what is old news', () => {
    const ids = (record: Parameters<typeof eventsFromRecord>[0]) =>
      eventsFromRecord(record).map((e) => e.detail.eventId);
    const [t25, t50] = [thresholdEventId('rail-2024', 25), thresholdEventId('rail-2024', 50)];
    // No threshold crossed, one going down, one rising again after a dip: the same ids each time.
    expect(ids(regionModify({ jiangsu: 200 }, { jiangsu: 210 }))).toEqual([t25]);
    expect(ids(regionModify({ jiangsu: 400 }, { jiangsu: 300 }))).toEqual([t25]);
    expect(ids(regionModify({ jiangsu: 300 }, { jiangsu: 340 }))).toEqual([t25, t50]);
  });

  it('offers the thresholds a lowered target made reached, at the next report, both percents under the new target', () => {
    // 40 of 100 was 40 %; the coordinator lowers the target to 60, and the next report adds 1.
    const record = streamRecord(
      'MODIFY',
      regionImage({ jiangsu: 41 }, { target: 60 }),
      regionImage({ jiangsu: 40 }, { target: 100 }),
    );
    expect(eventsFromRecord(record).map((e) => e.detail)).toEqual([
      expect.objectContaining({ threshold: 25, target: 60, percentBefore: 66.67, percentAfter: 68.33 }),
      expect.objectContaining({ threshold: 50, target: 60, totalBefore: 40, totalAfter: 41 }),
    ]);
  });

  it("judges an 'each' project by the mean of the capped province percents", () => {
    const options = { projectId: 'medical-insurance-2024', target: 12, aggregation: 'each' as const };
    const before = { shanghai: 24, jiangsu: 12, zhejiang: 0, anhui: 0 };
    // One province far past its target does not carry the region: still 50 %; then 75 %.
    const offered = (after: typeof before) => eventsFromRecord(regionModify(before, after, options));
    const thresholds = (...values: number[]) =>
      values.map((threshold) => expect.objectContaining({ detail: expect.objectContaining({ threshold }) }));
    expect(offered({ ...before, shanghai: 48 })).toEqual(thresholds(25, 50));
    expect(offered({ ...before, zhejiang: 12 })).toEqual(thresholds(25, 50, 75));
    expect(
      eventsFromRecord(regionModify(before, { ...before, zhejiang: 12 }, options))[2]?.detail,
    ).toMatchObject({ threshold: 75, percentBefore: 50, percentAfter: 75 });
  });

  it('announces nothing for a project without a target', () => {
    expect(eventsFromRecord(regionModify({}, { jiangsu: 10 }, { target: null }))).toEqual([]);
  });

  it('ignores items that are not facts to announce', () => {
    const province = provinceToItem('rail-2024', 2024, provinceState('jiangsu', 1, '2024-06-30'));
    expect(eventsFromRecord(streamRecord('MODIFY', province, province))).toEqual([]);
    expect(eventsFromRecord(streamRecord('REMOVE', null, province))).toEqual([]);
  });
});
