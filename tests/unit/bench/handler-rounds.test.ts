import { describe, expect, it } from 'vitest';
import { pathFigures, pathRow } from '../../../bench/handler-rounds.js';
import { meetsGoal } from '../../../bench/summary.js';

const samples = { handlerMs: [12, 10, 11, 40], replayMs: [10, 9, 10, 31], commandsPerRound: 2 };

describe('pathRow', () => {
  it("is the handler's mean per request against its replay's, with the ratio and the goal", () => {
    const row = pathRow('write-path', 'recordMilestone', samples, 1.1);
    expect(row).toEqual({
      case: 'write-path',
      subject: 'recordMilestone',
      measure: 'per request (2 DynamoDB calls)',
      unit: 'ms',
      value: 18.25,
      baseline: 15,
      ratio: 1.22,
      goal: { kind: 'ratioAtMost', limit: 1.1 },
    });
    expect(meetsGoal(row)).toBe(false);
  });

  it('names a single call in the singular', () => {
    expect(pathRow('read-path', 'getProject', { ...samples, commandsPerRound: 1 }, 1.05).measure).toBe(
      'per request (1 DynamoDB call)',
    );
  });
});

describe('pathFigures', () => {
  it('keeps the mean and the median of both sides, and the rounds they come from', () => {
    expect(pathFigures(samples)).toMatchObject({
      rounds: 4,
      commandsPerRound: 2,
      handler: { meanMs: 18.25, medianMs: 11.5 },
      replay: { meanMs: 15, medianMs: 10 },
    });
  });
});
