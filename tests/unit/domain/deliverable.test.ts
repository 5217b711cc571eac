import { describe, expect, it } from 'vitest';
import { computeChecklist } from '../../../functions/domain/checklist.js';
import {
  type Deliverable,
  type DeliverableState,
  decideDeliverable,
  deliverableIssues,
} from '../../../functions/domain/deliverable.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../../functions/domain/errors.js';
import { callerFixture } from '../../support/fixtures.js';

const NOW = new Date('2025-07-01T04:00:00.000Z');
const ningma: Deliverable = {
  id: 'ningma',
  name: { zh: '宁马市域（郊）铁路建成通车', en: 'Nanjing–Ma’anshan suburban railway opened' },
  provinces: ['jiangsu', 'anhui'],
  kind: 'open',
  due: '2025-12-31',
  note: null,
};
const decide = (
  change: Parameters<typeof decideDeliverable>[0]['change'],
  current: DeliverableState | null = null,
  role: Parameters<typeof callerFixture>[0] = 'anhui',
) =>
  decideDeliverable({
    deliverable: ningma,
    startDate: '2025-01-01',
    current,
    change,
    caller: callerFixture(role),
    now: NOW,
  });

describe('decideDeliverable', () => {
  it('lets an office of one of its provinces mark it done on a date, with evidence', () => {
    const state = decide({ done: true, doneOn: '2025-06-28', evidenceUrl: 'https://example.gov.cn/ningma' });
    expect(state).toMatchObject({
      deliverableId: 'ningma',
      done: true,
      doneOn: '2025-06-28',
      evidenceUrl: 'https://example.gov.cn/ningma',
      correctionReason: null,
      version: 1,
      updatedBy: { role: 'anhui' },
    });
  });

  it('refuses an office whose province it does not belong to, but not the coordinator', () => {
    expect(() => decide({ done: true, doneOn: '2025-06-28' }, null, 'zhejiang')).toThrow(ForbiddenError);
    expect(decide({ done: true, doneOn: '2025-06-28' }, null, 'coordinator').done).toBe(true);
  });

  it('refuses a date in the future or before the start', () => {
    const issuesOf = (doneOn: string) => {
      try {
        decide({ done: true, doneOn });
      } catch (error) {
        if (error instanceof ValidationError) return error.issues;
      }
      return 'no ValidationError';
    };
    expect(issuesOf('2025-07-02')).toEqual([
      { field: 'doneOn', message: 'must not be in the future (today is 2025-07-01 in China)' },
    ]);
    expect(issuesOf('2024-12-31')).toEqual([
      { field: 'doneOn', message: "must not be before the project's start (2025-01-01)" },
    ]);
  });

  it('needs a correction reason to undo it or to change the date of a done one', () => {
    const done = decide({ done: true, doneOn: '2025-06-28' });
    expect(() => decide({ done: true, doneOn: '2025-06-20' }, done)).toThrow(ConflictError);
    const moved = decide({ done: true, doneOn: '2025-06-20', correctionReason: '通车日期以公告为准' }, done);
    expect(moved).toMatchObject({ doneOn: '2025-06-20', correctionReason: '通车日期以公告为准', version: 2 });
    const undone = decide({ done: false, correctionReason: '误报：尚未通车' }, moved);
    expect(undone).toMatchObject({ done: false, doneOn: null, evidenceUrl: null, version: 3 });
  });

  it('has nothing to undo when it is not done', () => {
    expect(() => decide({ done: false, correctionReason: 'x' })).toThrow(/nothing to undo/);
  });
});

describe('deliverableIssues', () => {
  it('names repeated ids, provinces missing or repeated, and a due date before the start', () => {
    const bad = { ...ningma, id: 'ningma', provinces: [], due: '2024-12-31' };
    expect(
      deliverableIssues([ningma, bad, { ...ningma, id: 'x', provinces: ['anhui', 'anhui'] }], '2025-01-01'),
    ).toEqual([
      { field: 'deliverables.1.id', message: 'repeats deliverable id ningma' },
      { field: 'deliverables.1.provinces', message: 'must name at least one province' },
      { field: 'deliverables.1.due', message: "must not be before the project's start (2025-01-01)" },
      { field: 'deliverables.2.provinces', message: 'must not repeat a value' },
    ]);
  });
});

describe('computeChecklist', () => {
  const other: Deliverable = {
    ...ningma,
    id: 'wenfu',
    provinces: ['zhejiang'],
    kind: 'start',
    due: '2025-06-30',
  };
  const done = decide({ done: true, doneOn: '2025-06-28' });
  const schedule = { deadline: '2025-12-31' };

  it('counts done over total and marks what is past due', () => {
    const checklist = computeChecklist([ningma, other], [done], schedule, NOW);
    expect(checklist).toMatchObject({ total: 2, done: 1, percent: 50, status: 'at-risk' });
    expect(checklist?.items.map((item) => [item.deliverableId, item.pastDue])).toEqual([
      ['ningma', false],
      ['wenfu', true],
    ]);
  });

  it('is on track with nothing past due, completed when all are done, overdue after the deadline', () => {
    expect(computeChecklist([ningma], [], schedule, NOW)?.status).toBe('on-track');
    expect(computeChecklist([ningma], [done], schedule, NOW)?.status).toBe('completed');
    expect(computeChecklist([ningma], [], schedule, new Date('2026-01-02T00:00:00Z'))?.status).toBe(
      'overdue',
    );
  });

  it('does not count an undone deliverable and is absent without deliverables', () => {
    const undone = decide({ done: false, correctionReason: '误报' }, done);
    expect(computeChecklist([ningma], [undone], schedule, NOW)).toMatchObject({ done: 0, percent: 0 });
    expect(computeChecklist([], [], schedule, NOW)).toBeNull();
  });
});
