import { type CalendarDate, chinaDate, daysBetween } from './calendar.js';
import { roundPercent, sumValues } from './decimal.js';
import { expectedPercentOn, isReportOverdue, type Status as ProjectStatus } from './metric-progress.js';
import type { ProvinceState } from './milestone.js';
import type { Project } from './project.js';
import { PROVINCES, type Province } from './provinces.js';

export { STATUSES as PROJECT_STATUSES, type Status as ProjectStatus } from './metric-progress.js';

/** The region's running aggregate: the provinces' current values and their sum, kept in step by every write. */
export interface RegionAggregate {
  total: number;
  provinceValues: Partial<Record<Province, number>>;
  version: number;
  updatedAt: string;
}

/**
 * What the region aggregate also records at each report, so that its stream images alone say
 * which thresholds a change crossed: the target in force and the report that changed it.
 */
export interface RegionChange {
  target: number | null;
  aggregation: Project['aggregation'];
  province: Province;
  milestoneId: string;
  asOf: CalendarDate;
  recordedAt: string;
  recordedBy: { subject: string; username: string; role: string };
  /** The report's correlation id: the threshold events it causes carry it. */
  correlationId?: string;
}

export interface ProvinceProgress {
  province: Province;
  value: number;
  /** The province's own target: the project target for `each`, its share (if set) for `sum`. */
  target: number | null;
  /** Not capped: 112.5 means the province went past its target. */
  percent: number | null;
  asOf: CalendarDate | null;
  lastReportedAt: string | null;
  daysSinceLastReport: number | null;
  reportCount: number;
  reportOverdue: boolean;
}

export interface ProjectProgress {
  projectId: string;
  aggregation: Project['aggregation'];
  /** Sum of the provinces' current values. */
  total: number;
  target: number | null;
  /** `sum`: total / target, not capped. `each`: mean of the provinces' percents, each capped at 100. */
  percent: number | null;
  /** Where a straight line from start (0 %) to deadline (100 %) stands today. */
  expectedPercent: number | null;
  status: ProjectStatus;
  provinces: ProvinceProgress[];
  lastReportedAt: string | null;
}

export const emptyRegionAggregate = (updatedAt: string): RegionAggregate => ({
  total: 0,
  provinceValues: {},
  version: 0,
  updatedAt,
});

const percentOf = (value: number, target: number | null): number | null =>
  target === null || target <= 0 ? null : (value / target) * 100;

export const computeProgress = (
  project: Project,
  region: RegionAggregate,
  provinceStates: readonly ProvinceState[],
  now: Date,
): ProjectProgress => {
  const today = chinaDate(now);
  const states = new Map(provinceStates.map((state) => [state.province, state]));
  const provinces = PROVINCES.map((province): ProvinceProgress => {
    const state = states.get(province);
    const value = region.provinceValues[province] ?? 0;
    const target =
      project.aggregation === 'each' ? project.target : (project.provinceTargets[province] ?? null);
    const percent = percentOf(value, target);
    const daysSinceLastReport = state ? daysBetween(chinaDate(new Date(state.lastReportedAt)), today) : null;
    return {
      province,
      value,
      target,
      percent: percent === null ? null : roundPercent(percent),
      asOf: state?.asOf ?? null,
      lastReportedAt: state?.lastReportedAt ?? null,
      daysSinceLastReport,
      reportCount: state?.reportCount ?? 0,
      reportOverdue: isReportOverdue(project, state, today),
    };
  });

  const total = sumValues(provinces.map((p) => p.value));
  const { percent, completed } = regionPercent(project.target, project.aggregation, region.provinceValues);
  const expectedPercent = project.target === null ? null : expectedPercentOn(project, today);
  const lastReportedAt = provinceStates.reduce<string | null>(
    (latest, s) => (latest === null || s.lastReportedAt > latest ? s.lastReportedAt : latest),
    null,
  );
  return {
    projectId: project.id,
    aggregation: project.aggregation,
    total,
    target: project.target,
    percent: percent === null ? null : roundPercent(percent),
    expectedPercent: expectedPercent === null ? null : roundPercent(expectedPercent),
    status: statusOf(project, percent, completed, expectedPercent, today),
    provinces,
    lastReportedAt,
  };
};

/**
 * The region's percent of its target (unrounded): `sum` divides the total, `each` averages the
 * four provinces' percents, each capped at 100 so one province's surplus cannot hide another's gap.
 */
export const regionPercent = (
  target: number | null,
  aggregation: Project['aggregation'],
  provinceValues: Partial<Record<Province, number>>,
): { percent: number | null; completed: boolean } => {
  if (target === null || target <= 0) return { percent: null, completed: false };
  const values = PROVINCES.map((province) => provinceValues[province] ?? 0);
  if (aggregation === 'sum') {
    const total = sumValues(values);
    return { percent: (total / target) * 100, completed: total >= target };
  }
  const capped = values.map((value) => Math.min(100, (value / target) * 100));
  const percent = capped.reduce((a, b) => a + b, 0) / capped.length;
  return { percent, completed: values.every((value) => value >= target) };
};

const statusOf = (
  project: Project,
  percent: number | null,
  completed: boolean,
  expectedPercent: number | null,
  today: CalendarDate,
): ProjectStatus => {
  if (percent === null || expectedPercent === null) return 'no-target';
  if (completed) return 'completed';
  if (today > project.deadline) return 'overdue';
  if (percent < expectedPercent - project.atRiskTolerancePoints) return 'at-risk';
  return 'on-track';
};
