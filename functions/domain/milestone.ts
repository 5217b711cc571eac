import { type CalendarDate, chinaDate } from './calendar.js';
import type { Caller } from './caller.js';
import { hasAtMostDecimalPlaces, subtractValues } from './decimal.js';
import { ConflictError, type FieldIssue, ValidationError } from './errors.js';
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

/** Project-specific checks the request schema cannot know: units, dates, plausibility. */
export const validateReportForProject = (project: Project, report: MilestoneReport, now: Date): void => {
  const issues: FieldIssue[] = [];
  const { value, asOf } = report;
  if (!Number.isFinite(value) || value < 0 || value > MAX_MILESTONE_VALUE) {
    issues.push({ field: 'value', message: `must be a number from 0 to ${MAX_MILESTONE_VALUE}` });
  } else if (!project.allowDecimals && !Number.isInteger(value)) {
    const unit = project.unit ? ` (${project.unit.en})` : '';
    issues.push({ field: 'value', message: `must be a whole number: ${project.id} counts${unit}` });
  } else if (!hasAtMostDecimalPlaces(value, MAX_DECIMAL_PLACES)) {
    issues.push({ field: 'value', message: `may have at most ${MAX_DECIMAL_PLACES} decimal places` });
  } else if (project.target !== null && value > project.target * PLAUSIBLE_TARGET_MULTIPLE) {
    issues.push({
      field: 'value',
      message: `is more than ${PLAUSIBLE_TARGET_MULTIPLE} times the target of ${project.target}; check the unit`,
    });
  }
  const today = chinaDate(now);
  if (asOf < project.startDate) {
    issues.push({ field: 'asOf', message: `must not be before the project's start (${project.startDate})` });
  } else if (asOf > today) {
    issues.push({ field: 'asOf', message: `must not be in the future (today is ${today} in China)` });
  }
  if (issues.length > 0) {
    throw new ValidationError(`The report does not fit project ${project.id}.`, issues);
  }
};

/**
 * Applies the milestone rules: cumulative values never silently go down, and an older as-of
 * date is history that does not replace the current value.
 */
export const decideMilestone = (input: DecideMilestoneInput): MilestoneDecision => {
  const { project, province, current, report, caller, milestoneId, now, correlationId } = input;
  validateReportForProject(project, report, now);

  const kind = classify(current, report);
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

const classify = (current: ProvinceState | null, report: MilestoneReport): MilestoneKind => {
  const hasReason = report.correctionReason !== undefined && report.correctionReason.trim() !== '';
  if (current === null) return hasReason ? 'correction' : 'report';
  if (report.asOf < current.asOf) {
    if (report.value > current.value) {
      throw new ConflictError(
        'backfill-exceeds-current-value',
        `A value of ${report.value} as of ${report.asOf} exceeds the current value ${current.value} as of ${current.asOf}; cumulative values do not fall over time. Report it with the later date instead.`,
      );
    }
    return 'backfill';
  }
  if (report.value < current.value) {
    if (!hasReason) {
      throw new ConflictError(
        'decrease-without-correction-reason',
        `The current value is ${current.value} as of ${current.asOf}; a lower value (${report.value}) is a correction and needs a correctionReason.`,
      );
    }
    return 'correction';
  }
  return hasReason ? 'correction' : 'report';
};
