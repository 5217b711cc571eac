import { describe, expect, it } from 'vitest';
import { worstStatus } from '../../../functions/domain/status.js';

describe("a project's status is its worst part's", () => {
  it('ranks overdue, at risk, on track, completed', () => {
    expect(worstStatus(['completed', 'on-track', 'overdue', 'at-risk'])).toBe('overdue');
    expect(worstStatus(['completed', 'at-risk', 'on-track'])).toBe('at-risk');
    expect(worstStatus(['completed', 'on-track'])).toBe('on-track');
  });

  it('lets a part without a target hold nothing back, and is no-target only when no part has one', () => {
    expect(worstStatus(['completed', 'no-target'])).toBe('completed');
    expect(worstStatus(['no-target', 'no-target'])).toBe('no-target');
    expect(worstStatus([])).toBe('no-target');
  });
});
