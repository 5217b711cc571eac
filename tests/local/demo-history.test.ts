import { describe, expect, it } from 'vitest';
import { CATALOGUE_2024 } from '../../functions/domain/catalogue/2024.js';
import { SOURCES } from '../../functions/domain/catalogue/item.js';
import { computeChecklist } from '../../functions/domain/checklist.js';
import { hasAtMostDecimalPlaces } from '../../functions/domain/decimal.js';
import type { DeliverableState } from '../../functions/domain/deliverable.js';
import { scopesOf } from '../../functions/domain/metric.js';
import { computeMetricProgress, type ScopeState } from '../../functions/domain/metric-progress.js';
import { DEMO_HISTORY_2024, type DemoReport } from '../../local/demo/history-2024.js';

const AFTER_2024 = new Date('2025-03-01T00:00:00.000Z');
const reports = DEMO_HISTORY_2024.filter((step): step is DemoReport => step.kind === 'report');
const completions = DEMO_HISTORY_2024.filter((step) => step.kind === 'completion');

const itemOf = (projectId: string) => {
  const found = CATALOGUE_2024.find((entry) => entry.id === projectId);
  if (found === undefined) throw new Error(`no 2024 item ${projectId}`);
  return found;
};
const metricOf = (report: DemoReport) => {
  const found = itemOf(report.projectId).metrics.find((m) => m.id === report.metricId);
  if (found === undefined) throw new Error(`no metric ${report.metricId} in ${report.projectId}`);
  return found;
};

/** The last state of every scope of every metric, as the history leaves it. */
const finalStates = () => {
  const states = new Map<string, ScopeState>();
  reports.forEach((report, index) => {
    const key = `${report.projectId}/${report.metricId}`;
    const current = states.get(`${key}/${report.scope}`);
    states.set(`${key}/${report.scope}`, {
      scope: report.scope,
      value: report.value,
      asOf: report.asOf,
      lastReportedAt: `${report.asOf}T08:00:00.000Z`,
      lastMilestoneId: `demo-${index}`,
      reportCount: (current?.reportCount ?? 0) + 1,
    });
  });
  return (projectId: string, metricId: string) =>
    [...states.entries()]
      .filter(([key]) => key.startsWith(`${projectId}/${metricId}/`))
      .map(([, state]) => state);
};

const progressOf = (projectId: string, metricId: string) => {
  const entry = itemOf(projectId);
  const metric = entry.metrics.find((m) => m.id === metricId);
  if (metric === undefined) throw new Error(`no metric ${metricId}`);
  return computeMetricProgress(metric, entry, finalStates()(projectId, metricId), AFTER_2024);
};

describe('the demonstration history of 2024', () => {
  it('reports only seeded metrics, for the scopes they have, in whole numbers where they count', () => {
    for (const report of reports) {
      const metric = metricOf(report);
      expect(scopesOf(metric), `${report.metricId}`).toContain(report.scope);
      expect(report.asOf >= '2024-01-01' && report.asOf <= '2024-12-31').toBe(true);
      expect(
        metric.allowDecimals || Number.isInteger(report.value),
        `${report.metricId} ${report.value}`,
      ).toBe(true);
      expect(hasAtMostDecimalPlaces(report.value, 3)).toBe(true);
    }
  });

  it('moves each figure forward in time, and steps back only as a correction that says why', () => {
    const last = new Map<string, DemoReport>();
    for (const report of reports) {
      const key = `${report.projectId}/${report.metricId}/${report.scope}`;
      const before = last.get(key);
      if (before !== undefined) {
        expect(report.asOf >= before.asOf, key).toBe(true);
        const back =
          metricOf(report).direction === 'atLeast'
            ? report.value < before.value
            : report.value > before.value;
        expect(back, `${key} ${before.value} → ${report.value}`).toBe(report.correctionReason !== undefined);
      }
      last.set(key, report);
    }
    expect(reports.filter((report) => report.correctionReason !== undefined)).toHaveLength(2);
  });

  it('marks done only deliverables of the item, by an office they belong to', () => {
    for (const step of completions) {
      const deliverable = itemOf(step.projectId).deliverables.find((d) => d.id === step.deliverableId);
      expect(deliverable?.provinces).toContain(step.by);
    }
  });

  it('cites a source for every public figure, and only sources that exist', () => {
    const cited = DEMO_HISTORY_2024.flatMap((step) => (step.source === null ? [] : [step.source]));
    for (const source of cited) expect(Object.keys(SOURCES)).toContain(source);
    expect(reports.filter((r) => r.projectId === 'rail-2024' && r.source !== null)).toHaveLength(6);
  });

  it('ends the rail item at the public 660.4 km, all three lines open', () => {
    const railway = progressOf('rail-2024', 'new-railway');
    expect(railway).toMatchObject({ value: 660.4, status: 'completed' });
    expect(Object.fromEntries(railway.scopes.map((s) => [s.scope, s.value]))).toEqual({
      shanghai: 64.8,
      jiangsu: 52,
      zhejiang: 307,
      anhui: 236.6,
    });
    const states: DeliverableState[] = completions.map((step) => ({
      deliverableId: step.deliverableId,
      done: true,
      doneOn: step.doneOn,
      evidenceUrl: null,
      correctionReason: null,
      updatedAt: `${step.doneOn}T08:00:00.000Z`,
      updatedBy: { subject: step.by, username: step.by, role: step.by },
      version: 1,
    }));
    expect(
      computeChecklist(itemOf('rail-2024').deliverables, states, itemOf('rail-2024'), AFTER_2024),
    ).toMatchObject({
      done: 3,
      status: 'completed',
    });
  });

  it('leaves a year with every kind of ending to show: completed, overdue, and a ratio pushed under its ceiling', () => {
    expect(progressOf('ev-charging-2024', 'new-public-piles')).toMatchObject({
      value: 71_500,
      status: 'completed',
    });
    expect(progressOf('ev-charging-2024', 'vehicle-pile-ratio')).toMatchObject({
      value: 1.88,
      status: 'completed',
    });
    expect(progressOf('virtual-windows-2024', 'virtual-window-sites')).toMatchObject({
      value: 194,
      status: 'overdue',
    });
    expect(progressOf('medical-insurance-2024', 'assisted-reproduction-items').status).toBe('overdue');
    expect(progressOf('one-card-2024', 'shared-services')).toMatchObject({ value: 78, status: 'no-target' });
  });
});
