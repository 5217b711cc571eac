import { describe, expect, it } from 'vitest';
import { type ColdStartResult, type ColdStartRow, coldStartRows } from '../../../bench/cold-start.js';
import type { BenchGoal, BenchRow } from '../../../bench/summary.js';

const FLOOR = 'SDK floor (DynamoDB + SQS)';

const row = (overrides: Partial<ColdStartRow> & Pick<ColdStartRow, 'function'>): ColdStartRow => ({
  bytes: 400 * 1024,
  initMs: 90,
  sizeRatio: 1.25,
  initRatio: 1.13,
  sdkClients: ['@aws-sdk/client-dynamodb'],
  floor: 'baseline (DynamoDBClient only)',
  floorSizeRatio: 1.25,
  floorInitRatio: 1.13,
  ...overrides,
});

const result: ColdStartResult = {
  processes: 11,
  nodeOptions: '--enable-source-maps',
  baseline: { bytes: 320 * 1024, initMs: 80 },
  floors: {
    [FLOOR]: {
      bytes: 360 * 1024,
      initMs: 88,
      sdkClients: ['@aws-sdk/client-dynamodb', '@aws-sdk/client-sqs'],
    },
  },
  coldStart: [
    row({ function: 'getProject' }),
    row({
      function: 'notifier',
      bytes: 450 * 1024,
      initMs: 100,
      sizeRatio: 1.41,
      initRatio: 1.25,
      sdkClients: ['@aws-sdk/client-dynamodb', '@aws-sdk/client-sqs'],
      floor: FLOOR,
      floorSizeRatio: 1.25,
      floorInitRatio: 1.14,
    }),
    row({
      function: 'getHealth',
      bytes: 11 * 1024,
      initMs: 14,
      sizeRatio: 0.03,
      initRatio: 0.18,
      sdkClients: [],
      floor: null,
      floorSizeRatio: null,
      floorInitRatio: null,
    }),
  ],
};

/** The row the case should report, in the order of the BenchRow fields. */
const expected = (
  subject: string,
  measure: string,
  [unit, value, baseline, ratio]: [string, number, number, number],
  goal: BenchGoal | null,
): BenchRow => ({ case: 'cold-start', subject, measure, unit, value, baseline, ratio, goal });

describe('coldStartRows', () => {
  const rows = coldStartRows(result);

  it("gives every function its bundle and init against the baseline, with issue #10's goals", () => {
    expect(rows.filter((r) => r.subject === 'getProject')).toEqual([
      expected('getProject', 'bundle', ['KB', 400, 320, 1.25], { kind: 'ratioAtMost', limit: 1.25 }),
      expected('getProject', 'init', ['ms', 90, 80, 1.13], { kind: 'ratioAtMost', limit: 1.15 }),
    ]);
    expect(rows.filter((r) => r.subject === 'getHealth').map((r) => r.measure)).toEqual(['bundle', 'init']);
  });

  it('adds both figures against its own SDK floor, without a goal, for a function with more clients', () => {
    const notifier = rows.filter((r) => r.subject === 'notifier');
    expect(notifier.map((r) => r.measure)).toEqual([
      'bundle',
      'init',
      `bundle vs ${FLOOR}`,
      `init vs ${FLOOR}`,
    ]);
    expect(notifier.slice(2)).toEqual([
      expected('notifier', `bundle vs ${FLOOR}`, ['KB', 450, 360, 1.25], null),
      expected('notifier', `init vs ${FLOOR}`, ['ms', 100, 88, 1.14], null),
    ]);
  });

  it('keeps the order of the functions', () => {
    expect([...new Set(rows.map((r) => r.subject))]).toEqual(['getProject', 'notifier', 'getHealth']);
  });
});
