/**
 * Where an item of a year's list stands: each metric's progress, its deliverables' checklist,
 * and its status, the worst of theirs (see status.ts). Pure.
 */
import { type ChecklistProgress, computeChecklist } from './checklist.js';
import type { Deliverable, DeliverableState } from './deliverable.js';
import type { Metric } from './metric.js';
import {
  computeMetricProgress,
  type MetricProgress,
  type Schedule,
  type ScopeState,
  type Status,
} from './metric-progress.js';
import { worstStatus } from './status.js';

export interface ItemProgress {
  projectId: string;
  status: Status;
  metrics: MetricProgress[];
  checklist: ChecklistProgress | null;
  /** The latest report of any metric; null before the first. */
  lastReportedAt: string | null;
}

export interface ItemStates {
  /** Each metric's scopes that have reported, by metric id. */
  metrics: ReadonlyMap<string, readonly ScopeState[]>;
  deliverables: readonly DeliverableState[];
}

export const computeItemProgress = (
  item: { id: string; metrics: readonly Metric[]; deliverables: readonly Deliverable[] } & Schedule,
  states: ItemStates,
  now: Date,
): ItemProgress => {
  const metrics = item.metrics.map((metric) =>
    computeMetricProgress(metric, item, states.metrics.get(metric.id) ?? [], now),
  );
  const checklist = computeChecklist(item.deliverables, states.deliverables, item, now);
  const parts = [...metrics.map((m) => m.status), ...(checklist === null ? [] : [checklist.status])];
  const lastReportedAt = metrics.reduce<string | null>(
    (found, m) =>
      m.lastReportedAt !== null && (found === null || m.lastReportedAt > found) ? m.lastReportedAt : found,
    null,
  );
  return { projectId: item.id, status: worstStatus(parts), metrics, checklist, lastReportedAt };
};
