import { describe, expect, it } from 'vitest';
import { CATALOGUE_2024 } from '../../../functions/domain/catalogue/2024.js';
import { CATALOGUE_2025 } from '../../../functions/domain/catalogue/2025.js';
import type { DeliverableState } from '../../../functions/domain/deliverable.js';
import { computeItemProgress } from '../../../functions/domain/item-progress.js';
import type { ScopeState } from '../../../functions/domain/metric-progress.js';

const MID_2025 = new Date('2025-07-15T04:00:00.000Z');
const find = (id: string) => {
  const found = [...CATALOGUE_2024, ...CATALOGUE_2025].find((entry) => entry.id === id);
  if (found === undefined) throw new Error(id);
  return found;
};
const reported = (scope: ScopeState['scope'], value: number, asOf: string): ScopeState => ({
  scope,
  value,
  asOf,
  lastReportedAt: `${asOf}T08:00:00.000Z`,
  lastMilestoneId: `m-${scope}-${asOf}`,
  reportCount: 1,
});
const done = (deliverableId: string, doneOn: string): DeliverableState => ({
  deliverableId,
  done: true,
  doneOn,
  evidenceUrl: null,
  correctionReason: null,
  updatedAt: `${doneOn}T08:00:00.000Z`,
  updatedBy: { subject: 's', username: 'anhui-office', role: 'anhui' },
  version: 1,
});

describe('computeItemProgress', () => {
  it('shows every metric of an item and takes the worst status', () => {
    const consumption = find('satisfied-consumption-2025');
    const progress = computeItemProgress(
      consumption,
      {
        metrics: new Map([
          ['trusted-consumption-units', [reported('jiangsu', 3_100, '2025-07-01')]],
          ['no-reason-return-firms', [reported('zhejiang', 2_000, '2025-07-01')]],
        ]),
        deliverables: [],
      },
      MID_2025,
    );
    expect(progress.metrics.map((m) => [m.metricId, m.status])).toEqual([
      ['trusted-consumption-units', 'completed'],
      ['no-reason-return-firms', 'at-risk'],
      ['gift-products', 'at-risk'],
    ]);
    expect(progress).toMatchObject({
      status: 'at-risk',
      checklist: null,
      lastReportedAt: '2025-07-01T08:00:00.000Z',
    });
  });

  it('measures an item of deliverables alone by its checklist', () => {
    const rail = computeItemProgress(
      find('rail-2025'),
      { metrics: new Map(), deliverables: [done('ningma', '2025-06-28')] },
      MID_2025,
    );
    expect(rail).toMatchObject({
      status: 'on-track',
      metrics: [],
      checklist: { done: 1, total: 4, percent: 25 },
    });
  });

  it('is no-target for an item whose content is not published', () => {
    const sports = computeItemProgress(
      find('sports-events-2025'),
      { metrics: new Map(), deliverables: [] },
      MID_2025,
    );
    expect(sports).toMatchObject({ status: 'no-target', metrics: [], checklist: null, lastReportedAt: null });
  });
});
