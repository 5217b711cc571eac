import { describe, expect, it } from 'vitest';
import { eventLatencyRows } from '../../../bench/event-latency.js';
import { meetsGoal } from '../../../bench/summary.js';
import {
  hopShares,
  logMarks,
  matchReports,
  type SentReport,
  type VerifiedHook,
  verifiedHookOf,
} from '../../../bench/webhook-timings.js';

const body = (type: string, eventId: string, milestoneId?: string) =>
  JSON.stringify({ type, data: { eventId, ...(milestoneId ? { milestoneId } : {}) } });

const hook = (eventId: string, milestoneId: string | null, verifiedAt: number): VerifiedHook => ({
  eventId,
  type: milestoneId ? 'MilestoneRecorded' : 'ProgressThresholdReached',
  milestoneId,
  verifiedAt,
});

describe('verifiedHookOf', () => {
  it('reads the milestone a MilestoneRecorded announces', () => {
    expect(verifiedHookOf(body('MilestoneRecorded', 'ev-1', 'm-1'), 'ev-1', 500)).toEqual({
      eventId: 'ev-1',
      type: 'MilestoneRecorded',
      milestoneId: 'm-1',
      verifiedAt: 500,
    });
  });

  it('gives other events no milestone, even when their data names one', () => {
    expect(
      verifiedHookOf(body('ProgressThresholdReached', 'ev-2', 'm-1'), 'ev-2', 500).milestoneId,
    ).toBeNull();
  });

  it('refuses a body whose event id is not the signed webhook-id', () => {
    expect(() => verifiedHookOf(body('MilestoneRecorded', 'ev-1', 'm-1'), 'ev-9', 500)).toThrow(/ev-9/);
  });
});

describe('matchReports', () => {
  const reports: SentReport[] = [
    { milestoneId: 'm-1', sentAt: 1_000, answeredAt: 1_040 },
    { milestoneId: 'm-2', sentAt: 2_000, answeredAt: 2_030 },
  ];

  it('pairs each report with its own hook by milestone id, not by arrival order', () => {
    // m-2's hook arrives first, and a threshold announcement between them.
    const hooks = [hook('ev-2', 'm-2', 2_250), hook('ev-t', null, 2_260), hook('ev-1', 'm-1', 2_300)];
    expect(matchReports(reports, hooks)).toEqual([
      { ...reports[0], eventId: 'ev-1', verifiedAt: 2_300, ms: 1_300 },
      { ...reports[1], eventId: 'ev-2', verifiedAt: 2_250, ms: 250 },
    ]);
  });

  it('times a report by its first hook when it was delivered twice', () => {
    const hooks = [hook('ev-1', 'm-1', 1_400), hook('ev-1', 'm-1', 1_300), hook('ev-2', 'm-2', 2_200)];
    expect(matchReports(reports, hooks).map((latency) => latency.ms)).toEqual([300, 200]);
  });

  it('fails naming every report without a hook', () => {
    expect(() => matchReports(reports, [hook('ev-t', null, 1_500)])).toThrow('m-1, m-2');
  });
});

describe('hop marks and shares', () => {
  const line = (message: string, eventId: string, timestamp: string) =>
    JSON.stringify({ level: 'info', message, timestamp, eventId });
  const output = [
    'GET /health 200 3ms',
    line('event published', 'ev-1', '2024-01-01T00:00:01.200Z'),
    '{ not json',
    line('event fanned out', 'ev-1', '2024-01-01T00:00:01.260Z'),
    // A retried fan-out logs again: the first line counts.
    line('event fanned out', 'ev-1', '2024-01-01T00:00:09.000Z'),
    line('webhook delivered', 'ev-1', '2024-01-01T00:00:01.290Z'),
  ].join('\n');
  const at = (iso: string) => Date.parse(iso);

  it('reads when each event was published and fanned out, from the first such line', () => {
    const marks = logMarks(output);
    expect([...marks.published]).toEqual([['ev-1', at('2024-01-01T00:00:01.200Z')]]);
    expect([...marks.fannedOut]).toEqual([['ev-1', at('2024-01-01T00:00:01.260Z')]]);
  });

  it('splits a latency into hops that add up to it, with their shares', () => {
    const sentAt = at('2024-01-01T00:00:01.000Z');
    const latency = {
      milestoneId: 'm-1',
      sentAt,
      answeredAt: sentAt + 40,
      eventId: 'ev-1',
      verifiedAt: sentAt + 300,
      ms: 300,
    };
    // A report whose event left no marks is left out of the split.
    const unmarked = { ...latency, eventId: 'ev-x', milestoneId: 'm-x' };
    expect(hopShares([latency, unmarked], logMarks(output))).toEqual([
      { hop: 'write (POST answered)', medianMs: 40, share: 0.13 },
      { hop: 'stream poll + publisher', medianMs: 160, share: 0.53 },
      { hop: 'bus + notifier', medianMs: 60, share: 0.2 },
      { hop: 'queue + deliverer', medianMs: 40, share: 0.13 },
    ]);
    expect(hopShares([unmarked], logMarks(output))).toEqual([]);
  });
});

describe('eventLatencyRows', () => {
  const latencies = Array.from({ length: 100 }, (_, i) => 200 + i); // 200 … 299 ms

  it('reports p50 against the poll interval + 50 ms, p95 and max without a goal', () => {
    const rows = eventLatencyRows(latencies, 250);
    expect(rows.map(({ measure, value, goal }) => ({ measure, value, goal }))).toEqual([
      { measure: 'p50', value: 249, goal: { kind: 'valueAtMost', limit: 300 } },
      { measure: 'p95', value: 294, goal: null },
      { measure: 'max', value: 299, goal: null },
    ]);
    expect(rows.every((row) => row.case === 'event-latency' && row.unit === 'ms')).toBe(true);
    expect(meetsGoal(rows[0] as (typeof rows)[number])).toBe(true);
  });

  it('misses the goal once p50 is past the poll interval + 50 ms', () => {
    const [p50] = eventLatencyRows(
      latencies.map((ms) => ms + 52),
      250,
    );
    expect(p50?.value).toBe(301);
    expect(meetsGoal(p50 as NonNullable<typeof p50>)).toBe(false);
  });
});
