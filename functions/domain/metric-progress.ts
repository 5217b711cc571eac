/**
 * A metric's progress: where each scope (province, or the region) stands, the region's figure,
 * the percent from baseline to target in the metric's direction, and its status. Pure.
 */
import { type CalendarDate, chinaDate, daysBetween } from './calendar.js';
import { roundPercent, sumValues } from './decimal.js';
import {
  type Combine,
  type Direction,
  type Metric,
  percentAlong,
  REGION_SCOPE,
  reaches,
  type Scope,
  scopesOf,
  targetOf,
} from './metric.js';

export const STATUSES = ['completed', 'on-track', 'at-risk', 'overdue', 'no-target'] as const;
export type Status = (typeof STATUSES)[number];

/** The calendar of a year's item: what pace and overdue reports are measured against. */
export interface Schedule {
  startDate: CalendarDate;
  deadline: CalendarDate;
  /** A scope that has not reported for longer than this is overdue. */
  reportingIntervalDays: number;
  /** Percentage points behind the straight line from start to deadline before a metric is at risk. */
  atRiskTolerancePoints: number;
}

/** A scope's standing on one metric: its current figure and reporting history. */
export interface ScopeState {
  scope: Scope;
  value: number;
  asOf: CalendarDate;
  lastReportedAt: string;
  lastMilestoneId: string;
  reportCount: number;
}

export interface ScopeProgress {
  scope: Scope;
  /** The current figure; null while nothing is known (never reported, no baseline to stand at). */
  value: number | null;
  target: number | null;
  /** From baseline to the scope's target, not capped; null without a span. */
  percent: number | null;
  reached: boolean;
  asOf: CalendarDate | null;
  lastReportedAt: string | null;
  daysSinceLastReport: number | null;
  reportCount: number;
  reportOverdue: boolean;
}

export interface MetricProgress {
  metricId: string;
  combine: Combine;
  direction: Direction;
  baseline: number | null;
  target: number | null;
  /**
   * The region's figure: the sum of the provinces' (`sum`), the one figure (`region`); null for
   * `each`, whose provinces have targets of their own, and while an `atMost` figure is unknown.
   */
  value: number | null;
  /** `sum`/`region`: along the span, not capped. `each`: mean of the provinces', each capped at 100. */
  percent: number | null;
  /** Where a straight line from start (0 %) to deadline (100 %) stands today; null without a target. */
  expectedPercent: number | null;
  status: Status;
  scopes: ScopeProgress[];
  lastReportedAt: string | null;
}

/** How far along the straight line from start to deadline the calendar is today, 0–100. */
export const expectedPercentOn = (schedule: Schedule, today: CalendarDate): number => {
  const span = daysBetween(schedule.startDate, schedule.deadline);
  if (span <= 0) return today >= schedule.deadline ? 100 : 0;
  const elapsed = daysBetween(schedule.startDate, today);
  return Math.min(100, Math.max(0, (elapsed / span) * 100));
};

/**
 * A scope is overdue once it has gone longer than the reporting interval without a report,
 * counted from its last report or, if it never reported, from the start. Nothing is overdue
 * before the start.
 */
export const isReportOverdue = (
  schedule: Schedule,
  state: Pick<ScopeState, 'lastReportedAt'> | undefined,
  today: CalendarDate,
): boolean => {
  if (today < schedule.startDate) return false;
  const since = state ? chinaDate(new Date(state.lastReportedAt)) : schedule.startDate;
  return daysBetween(since, today) > schedule.reportingIntervalDays;
};

/**
 * The figure a scope stands at before it reports: a `sum` province at 0 (its own count has not
 * started), an `each` province or the region at the baseline (null when that is unknown).
 */
const unreportedValue = (metric: Metric): number | null => (metric.combine === 'sum' ? 0 : metric.baseline);

/** A province's own span in a `sum` metric runs from 0 to its share; in an `each` one from the baseline. */
const scopeBaseline = (metric: Metric, scope: Scope): number | null =>
  metric.combine === 'sum' && scope !== REGION_SCOPE ? 0 : metric.baseline;

const latest = (states: readonly ScopeState[]): string | null =>
  states.reduce<string | null>(
    (found, s) => (found === null || s.lastReportedAt > found ? s.lastReportedAt : found),
    null,
  );

interface RegionStanding {
  value: number | null;
  percent: number | null;
  completed: boolean;
}

/**
 * The region's standing (unrounded percent). An `atMost` sum is known only once every province
 * has reported: a province that has not is not at zero.
 */
const regionStanding = (metric: Metric, scopes: readonly ScopeProgress[]): RegionStanding => {
  const { direction, baseline, target } = metric;
  if (metric.combine === 'each') {
    if (target === null && scopes.every((s) => s.target === null)) {
      return { value: null, percent: null, completed: false };
    }
    const percents = scopes.map((s) => s.percent);
    const percent = percents.every((p) => p !== null)
      ? percents.reduce((sum, p) => sum + Math.min(100, p), 0) / percents.length
      : null;
    return { value: null, percent, completed: scopes.every((s) => s.reached) };
  }
  const value =
    metric.combine === 'region'
      ? (scopes[0]?.value ?? null)
      : direction === 'atMost' && scopes.some((s) => s.reportCount === 0)
        ? null
        : sumValues(scopes.map((s) => s.value ?? 0));
  if (value === null) return { value, percent: null, completed: false };
  return {
    value,
    percent: percentAlong(direction, baseline, target, value),
    completed: target !== null && reaches(direction, value, target),
  };
};

const statusOf = (
  metric: Metric,
  standing: RegionStanding,
  expectedPercent: number | null,
  schedule: Schedule,
  today: CalendarDate,
): Status => {
  const hasTarget = metric.target !== null || Object.keys(metric.provinceTargets).length > 0;
  if (!hasTarget) return 'no-target';
  if (standing.completed) return 'completed';
  if (today > schedule.deadline) return 'overdue';
  if (standing.percent === null || expectedPercent === null) return 'no-target';
  if (standing.percent < expectedPercent - schedule.atRiskTolerancePoints) return 'at-risk';
  return 'on-track';
};

export const computeMetricProgress = (
  metric: Metric,
  schedule: Schedule,
  states: readonly ScopeState[],
  now: Date,
): MetricProgress => {
  const today = chinaDate(now);
  const byScope = new Map(states.map((state) => [state.scope, state]));
  const scopes = scopesOf(metric).map((scope): ScopeProgress => {
    const state = byScope.get(scope);
    const value = state ? state.value : unreportedValue(metric);
    const target = targetOf(metric, scope);
    const percent =
      value === null ? null : percentAlong(metric.direction, scopeBaseline(metric, scope), target, value);
    return {
      scope,
      value,
      target,
      percent: percent === null ? null : roundPercent(percent),
      reached:
        value !== null && target !== null && state !== undefined && reaches(metric.direction, value, target),
      asOf: state?.asOf ?? null,
      lastReportedAt: state?.lastReportedAt ?? null,
      daysSinceLastReport: state ? daysBetween(chinaDate(new Date(state.lastReportedAt)), today) : null,
      reportCount: state?.reportCount ?? 0,
      reportOverdue: isReportOverdue(schedule, state, today),
    };
  });
  const standing = regionStanding(metric, scopes);
  const expectedPercent = standing.percent === null ? null : expectedPercentOn(schedule, today);
  return {
    metricId: metric.id,
    combine: metric.combine,
    direction: metric.direction,
    baseline: metric.baseline,
    target: metric.target,
    value: standing.value,
    percent: standing.percent === null ? null : roundPercent(standing.percent),
    expectedPercent: expectedPercent === null ? null : roundPercent(expectedPercent),
    status: statusOf(metric, standing, expectedPercent, schedule, today),
    scopes,
    lastReportedAt: latest(states),
  };
};
