import { describe, expect, it } from 'vitest';
import { type BenchRow, meetsGoal, summaryTable } from '../../../bench/summary.js';

const row = (overrides: Partial<BenchRow>): BenchRow => ({
  case: 'cold-start',
  subject: 'getProject',
  measure: 'init',
  unit: 'ms',
  value: 90,
  baseline: 80,
  ratio: 1.13,
  goal: { kind: 'ratioAtMost', limit: 1.15 },
  ...overrides,
});

describe('meetsGoal', () => {
  it('holds a ratio at most its limit, and fails one above it', () => {
    expect(meetsGoal(row({ ratio: 1.15 }))).toBe(true);
    expect(meetsGoal(row({ ratio: 1.16 }))).toBe(false);
  });

  it('holds a ratio at least its limit, and fails one below it', () => {
    const goal = { kind: 'ratioAtLeast', limit: 0.9 } as const;
    expect(meetsGoal(row({ ratio: 0.9, goal }))).toBe(true);
    expect(meetsGoal(row({ ratio: 0.89, goal }))).toBe(false);
  });

  it('holds a value at most its limit, without a baseline', () => {
    const goal = { kind: 'valueAtMost', limit: 250 } as const;
    expect(meetsGoal(row({ value: 250, baseline: null, ratio: null, goal }))).toBe(true);
    expect(meetsGoal(row({ value: 251, baseline: null, ratio: null, goal }))).toBe(false);
  });

  it('is null for a row without a goal, and false for a ratio goal without a ratio', () => {
    expect(meetsGoal(row({ goal: null }))).toBeNull();
    expect(meetsGoal(row({ ratio: null }))).toBe(false);
  });
});

describe('summaryTable', () => {
  it('prints one Markdown row per figure with its baseline, ratio, goal and verdict', () => {
    const table = summaryTable([row({}), row({ subject: 'deliverer', ratio: 1.4, value: 112 })]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe('| cold-start | getProject | init | 90 ms | 80 ms | 1.13× | ≤ 1.15× | yes |');
    expect(lines[3]).toBe('| cold-start | deliverer | init | 112 ms | 80 ms | 1.40× | ≤ 1.15× | **no** |');
  });

  it('leaves baseline and ratio empty for a goal on the value itself', () => {
    const table = summaryTable([
      row({
        case: 'event-latency',
        measure: 'p50',
        value: 180.5,
        baseline: null,
        ratio: null,
        goal: { kind: 'valueAtMost', limit: 250 },
      }),
    ]);
    expect(table.split('\n')[2]).toBe('| event-latency | getProject | p50 | 181 ms |  |  | ≤ 250 | yes |');
  });
});
