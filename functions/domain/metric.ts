/**
 * What an item of a year's list measures. A real item often has several metrics (the 2024
 * charging network: new public piles ≥ 70,000, the vehicle-to-pile ratio ≤ 1.9, cumulative
 * public piles ≥ 600,000), targets in both directions, a baseline other than zero (the one-card
 * list grows from 78 to 113 services) and three ways the provinces' figures combine.
 */
import { type FieldIssue, ValidationError } from './errors.js';
import { partListIssues } from './part-list.js';
import type { LocalizedText } from './project.js';
import { COORDINATOR, PROVINCES, type Province, type Role } from './provinces.js';

/**
 * - `atLeast`: the figure is pushed up to the target (km opened, piles built): "≥ N", "N 以上".
 * - `atMost`: the figure is pushed down to the target (a vehicle-to-pile ratio): "≤ N".
 */
export const DIRECTIONS = ['atLeast', 'atMost'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/**
 * How the provinces' figures make the region's.
 * - `sum`: the region's figure is the sum of the four provinces' (660 km of railway).
 * - `each`: every province must reach the target on its own (12 insurance items in each; 30
 *   gift products per province); a province may have a target of its own.
 * - `region`: one figure for the whole region (the vehicle-to-pile ratio, the shared one-card
 *   list), reported by the coordinator or by the office the coordinator names.
 */
export const COMBINES = ['sum', 'each', 'region'] as const;
export type Combine = (typeof COMBINES)[number];

/** Who a figure belongs to: a province, or the region for a `region` metric. */
export const REGION_SCOPE = 'region';
export type Scope = Province | typeof REGION_SCOPE;

export const MAX_METRICS_PER_PROJECT = 10;

export interface Metric {
  /** Unique within its project; reports name it (`metricId`). */
  id: string;
  name: LocalizedText;
  /** Null when the source does not say. */
  unit: LocalizedText | null;
  /** Kilometres and ratios may carry decimals; counts are whole numbers. */
  allowDecimals: boolean;
  direction: Direction;
  /**
   * Where progress starts: 0 for a count that starts from nothing, 78 for a list of services
   * that grows from 78. Null while the starting level is not published (a ratio to push down,
   * a cumulative count of the whole region): the metric is complete once a report reaches the
   * target, but its percentage is unknown until the coordinator sets a baseline.
   */
  baseline: number | null;
  /** Null while no target has been published ("未公布"). `each`: the target of every province without one of its own. */
  target: number | null;
  combine: Combine;
  /**
   * `sum`: an optional split of the target between the provinces. `each`: optional targets of
   * provinces that differ from `target`. Never for `region`.
   */
  provinceTargets: Partial<Record<Province, number>>;
  /** `region` only: who reports the figure (the coordinator unless it names an office). */
  reporter: Role;
  /** What the coordinator should know: a figure not published, a source to confirm. */
  note: LocalizedText | null;
}

/** The baseline a metric has when none is given: 0 for a figure pushed up, none for one pushed down. */
export const defaultBaseline = (direction: Direction): number | null => (direction === 'atLeast' ? 0 : null);

/** The scopes that report a metric: the four provinces, or the region alone. */
export const scopesOf = (metric: Pick<Metric, 'combine'>): readonly Scope[] =>
  metric.combine === 'region' ? [REGION_SCOPE] : PROVINCES;

/** The target a scope works toward: its own (`each`, or its share of a `sum`), or the region's. */
export const targetOf = (metric: Metric, scope: Scope): number | null => {
  if (scope === REGION_SCOPE) return metric.target;
  if (metric.combine === 'each') return metric.provinceTargets[scope] ?? metric.target;
  return metric.provinceTargets[scope] ?? null;
};

/** May `role` report `metric` for `scope`? Offices report their own province; the coordinator any scope. */
export const mayReport = (metric: Metric, role: Role, scope: Scope): boolean => {
  if (role === COORDINATOR) return true;
  if (metric.combine === 'region') return scope === REGION_SCOPE && metric.reporter === role;
  return scope === role;
};

/**
 * True when the target lies beyond the baseline in the metric's direction, so that a
 * percentage from one to the other means something.
 */
export const hasSpan = (direction: Direction, baseline: number | null, target: number | null): boolean =>
  baseline !== null && target !== null && (direction === 'atLeast' ? target > baseline : target < baseline);

/**
 * How far from baseline to target `value` has come, in percent, not capped (a sum past its
 * floor shows 112 %); null when there is no span to measure along.
 */
export const percentAlong = (
  direction: Direction,
  baseline: number | null,
  target: number | null,
  value: number,
): number | null => {
  if (!hasSpan(direction, baseline, target)) return null;
  const from = baseline as number;
  const to = target as number;
  // `+ 0` turns the -0 of a figure still at an `atMost` baseline into 0.
  return ((value - from) / (to - from)) * 100 + 0;
};

/** Has `value` reached `target` in the metric's direction? */
export const reaches = (direction: Direction, value: number, target: number): boolean =>
  direction === 'atLeast' ? value >= target : value <= target;

/**
 * The rules of a metric's definition that its schema cannot express: unique ids, targets
 * beyond the baseline, per-province targets that fit the way the provinces combine.
 */
export const metricIssues = (metrics: readonly Metric[]): FieldIssue[] => {
  const issues = partListIssues(
    'metrics',
    metrics.map((metric) => metric.id),
    MAX_METRICS_PER_PROJECT,
  );
  metrics.forEach((metric, index) => {
    const at = (field: string) => `metrics.${index}.${field}`;
    if (
      metric.target !== null &&
      metric.baseline !== null &&
      !hasSpan(metric.direction, metric.baseline, metric.target)
    ) {
      issues.push({
        field: at('target'),
        message:
          metric.direction === 'atLeast'
            ? `must be greater than the baseline (${metric.baseline})`
            : `must be lower than the baseline (${metric.baseline})`,
      });
    }
    const provinceTargets = Object.keys(metric.provinceTargets);
    if (metric.combine === 'region' && provinceTargets.length > 0) {
      issues.push({
        field: at('provinceTargets'),
        message: "are not for a 'region' metric: it has one figure",
      });
    }
    if (metric.combine === 'sum' && provinceTargets.length > 0 && metric.target === null) {
      issues.push({ field: at('provinceTargets'), message: 'need a regional target as well' });
    }
    if (metric.combine !== 'region' && metric.reporter !== COORDINATOR) {
      issues.push({
        field: at('reporter'),
        message: "is only for a 'region' metric: each office reports its own province",
      });
    }
  });
  return issues;
};

/** Throws a ValidationError naming every rule a project's metrics break. */
export const validateMetrics = (projectId: string, metrics: readonly Metric[]): void => {
  const issues = metricIssues(metrics);
  if (issues.length > 0)
    throw new ValidationError(`The metrics of project ${projectId} are not valid.`, issues);
};
