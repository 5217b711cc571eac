import { type CalendarDate, chinaDate } from './calendar.js';
import type { Caller } from './caller.js';
import { hasAtMostDecimalPlaces, subtractValues } from './decimal.js';
import { ConflictError, type FieldIssue, ValidationError } from './errors.js';
import { metricOfLegacyProject } from './legacy-project.js';
import type { Direction, Metric } from './metric.js';
import {
  MAX_DECIMAL_PLACES,
  MAX_MILESTONE_VALUE,
  PLAUSIBLE_TARGET_MULTIPLE,
  type Project,
} from './project.js';
import type { Province, Role } from './provinces.js';

/**
 * - `report`: a new cumulative value that becomes the province's current value.
 * - `correction`: becomes current and says why (required when the value goes down).
 * - `backfill`: an as-of date older than the current one; kept as history only.
 */
export const MILESTONE_KINDS = ['report', 'correction', 'backfill'] as const;
export type MilestoneKind = (typeof MILESTONE_KINDS)[number];

/** What an office submits: its province's cumulative achievement as of a date. */
export interface MilestoneReport {
  value: number;
  asOf: CalendarDate;
  note?: string | undefined;
  evidenceUrl?: string | undefined;
  correctionReason?: string | undefined;
}

export interface Milestone extends MilestoneReport {
  id: string;
  projectId: string;
  province: Province;
  kind: MilestoneKind;
  /** The province's current value and as-of date before this report (null for its first). */
  previousValue: number | null;
  previousAsOf: CalendarDate | null;
  recordedAt: string;
  recordedBy: { subject: string; username: string; role: Role };
  /** The request that recorded it (see functions/observability/correlation-id.ts); absent on older items. */
  correlationId?: string;
}

/** A province's standing on one project: its current cumulative value and reporting history. */
export interface ProvinceState {
  province: Province;
  value: number;
  asOf: CalendarDate;
  lastReportedAt: string;
  lastMilestoneId: string;
  reportCount: number;
  version: number;
}

export interface MilestoneDecision {
  milestone: Milestone;
  /** The province's state after the report; equal in value to `current` for a backfill. */
  next: ProvinceState;
  /** Change of the province's current value (0 for a backfill). */
  delta: number;
}

export interface DecideMilestoneInput {
  project: Project;
  province: Province;
  current: ProvinceState | null;
  report: MilestoneReport;
  caller: Caller;
  milestoneId: string;
  now: Date;
  correlationId?: string | undefined;
}

/** What the rules of a report need to know of what it reports on. */
export interface ReportSubject {
  projectId: string;
  metric: Metric;
  /** The item's start: nothing is reported as of an earlier date. */
  startDate: CalendarDate;
}

/**
 * The largest figure that is plausible: ten times the target (or, for a figure pushed down,
 * ten times its baseline when that is higher), so that 660000 for 660 km is caught as a unit
 * slip. Null when there is nothing to compare with.
 */
const plausibleLimit = (metric: Metric): number | null => {
  const { target, baseline } = metric;
  if (target === null) return null;
  const reference = metric.direction === 'atMost' && baseline !== null ? Math.max(baseline, target) : target;
  return reference > 0 ? reference * PLAUSIBLE_TARGET_MULTIPLE : null;
};

/** Metric-specific checks the request schema cannot know: units, dates, plausibility. */
export const validateReportFor = (subject: ReportSubject, report: MilestoneReport, now: Date): void => {
  const { projectId, metric, startDate } = subject;
  const issues: FieldIssue[] = [];
  const { value, asOf } = report;
  const limit = plausibleLimit(metric);
  if (!Number.isFinite(value) || value < 0 || value > MAX_MILESTONE_VALUE) {
    issues.push({ field: 'value', message: `must be a number from 0 to ${MAX_MILESTONE_VALUE}` });
  } else if (!metric.allowDecimals && !Number.isInteger(value)) {
    const unit = metric.unit ? ` (${metric.unit.en})` : '';
    issues.push({ field: 'value', message: `must be a whole number: ${projectId} counts${unit}` });
  } else if (!hasAtMostDecimalPlaces(value, MAX_DECIMAL_PLACES)) {
    issues.push({ field: 'value', message: `may have at most ${MAX_DECIMAL_PLACES} decimal places` });
  } else if (limit !== null && value > limit) {
    const reference = limit / PLAUSIBLE_TARGET_MULTIPLE;
    const of = reference === metric.target ? 'the target' : 'the baseline';
    issues.push({
      field: 'value',
      message: `is more than ${PLAUSIBLE_TARGET_MULTIPLE} times ${of} of ${reference}; check the unit`,
    });
  }
  const today = chinaDate(now);
  if (asOf < startDate) {
    issues.push({ field: 'asOf', message: `must not be before the project's start (${startDate})` });
  } else if (asOf > today) {
    issues.push({ field: 'asOf', message: `must not be in the future (today is ${today} in China)` });
  }
  if (issues.length > 0) {
    throw new ValidationError(`The report does not fit project ${projectId}.`, issues);
  }
};

/** Project-specific checks of a single-figure project's report (see legacy-project.ts). */
export const validateReportForProject = (project: Project, report: MilestoneReport, now: Date): void =>
  validateReportFor(subjectOfLegacyProject(project), report, now);

const subjectOfLegacyProject = (project: Project): ReportSubject => ({
  projectId: project.id,
  metric: metricOfLegacyProject(project),
  startDate: project.startDate,
});

/**
 * Applies the milestone rules: cumulative values never silently go down, and an older as-of
 * date is history that does not replace the current value.
 */
export const decideMilestone = (input: DecideMilestoneInput): MilestoneDecision => {
  const { project, province, current, report, caller, milestoneId, now, correlationId } = input;
  const subject = subjectOfLegacyProject(project);
  validateReportFor(subject, report, now);

  const kind = classifyReport(subject.metric.direction, current, report);
  const recordedAt = now.toISOString();
  const milestone: Milestone = {
    id: milestoneId,
    projectId: project.id,
    province,
    value: report.value,
    asOf: report.asOf,
    kind,
    correctionReason: report.correctionReason,
    note: report.note,
    evidenceUrl: report.evidenceUrl,
    previousValue: current?.value ?? null,
    previousAsOf: current?.asOf ?? null,
    recordedAt,
    recordedBy: { subject: caller.subject, username: caller.username, role: caller.role },
    ...(correlationId === undefined ? {} : { correlationId }),
  };
  const becomesCurrent = kind !== 'backfill';
  const next: ProvinceState = {
    province,
    value: becomesCurrent ? report.value : (current?.value ?? report.value),
    asOf: becomesCurrent ? report.asOf : (current?.asOf ?? report.asOf),
    lastReportedAt: recordedAt,
    lastMilestoneId: milestoneId,
    reportCount: (current?.reportCount ?? 0) + 1,
    version: (current?.version ?? 0) + 1,
  };
  const delta = becomesCurrent ? subtractValues(report.value, current?.value ?? 0) : 0;
  return { milestone, next, delta };
};

/**
 * A figure moves toward its target: up for `atLeast`, down for `atMost`. A step the other way
 * is a correction and must say why; a backfill (an earlier as-of date) may not stand further
 * along than the current figure, since figures do not move backwards over time unexplained.
 */
export const classifyReport = (
  direction: Direction,
  current: ProvinceState | null,
  report: MilestoneReport,
): MilestoneKind => {
  const hasReason = report.correctionReason !== undefined && report.correctionReason.trim() !== '';
  if (current === null) return hasReason ? 'correction' : 'report';
  const furtherThan = (a: number, b: number) => (direction === 'atLeast' ? a > b : a < b);
  if (report.asOf < current.asOf) {
    if (furtherThan(report.value, current.value)) {
      throw new ConflictError(
        'backfill-exceeds-current-value',
        direction === 'atLeast'
          ? `A value of ${report.value} as of ${report.asOf} exceeds the current value ${current.value} as of ${current.asOf}; cumulative values do not fall over time. Report it with the later date instead.`
          : `A value of ${report.value} as of ${report.asOf} is below the current value ${current.value} as of ${current.asOf}; this figure is pushed down, so an earlier one cannot be lower. Report it with the later date instead.`,
      );
    }
    return 'backfill';
  }
  if (furtherThan(current.value, report.value)) {
    if (!hasReason) {
      throw new ConflictError(
        'decrease-without-correction-reason',
        direction === 'atLeast'
          ? `The current value is ${current.value} as of ${current.asOf}; a lower value (${report.value}) is a correction and needs a correctionReason.`
          : `The current value is ${current.value} as of ${current.asOf}; this figure is pushed down, so a higher value (${report.value}) is a correction and needs a correctionReason.`,
      );
    }
    return 'correction';
  }
  return hasReason ? 'correction' : 'report';
};
