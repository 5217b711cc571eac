import { type CalendarDate, chinaDate, daysBetween } from './calendar.js';
import type { ProvinceState } from './milestone.js';
import { computeProgress, type ProjectStatus, type RegionAggregate } from './progress.js';
import type { Project } from './project.js';
import type { Province } from './provinces.js';

/**
 * The watchdog's rules: what is worth announcing about a project today, given what it saw last
 * time. Pure: the same view, instant and watch state always give the same findings, so a
 * repeated or concurrent run finds the same occurrences and the storage's conditions keep each
 * written once.
 */

/** A project with its region aggregate and the provinces that have reported (a ProjectView). */
export interface WatchedProject {
  project: Project;
  region: RegionAggregate;
  provinces: readonly ProvinceState[];
}

/** What the watchdog remembers of a project between runs. */
export interface WatchState {
  projectId: string;
  /** The status it last saw. */
  status: ProjectStatus;
  /** At-risk transitions noticed so far: the sequence number of the latest risk notice (0: none). */
  riskTransitions: number;
  /** Optimistic lock: a run stores the next state only if nobody stored another since it read. */
  version: number;
  updatedAt: string;
}

/**
 * A province silent for longer than the reporting interval. One occurrence per silence: it is
 * identified by the province's last milestone (or `null`, never reported), so a new report ends
 * it and a later silence is a new occurrence.
 */
export interface OverdueFinding {
  kind: 'overdue';
  projectId: string;
  province: Province;
  lastMilestoneId: string | null;
  lastReportedAt: string | null;
  lastAsOf: CalendarDate | null;
  daysSinceLastReport: number;
  reportingIntervalDays: number;
  currentValue: number;
}

/** The project's n-th at-risk transition: into at-risk (`atRisk: true`) or out of it (`false`). */
export interface RiskFinding {
  kind: 'risk';
  projectId: string;
  sequence: number;
  atRisk: boolean;
  previousStatus: ProjectStatus | null;
  status: ProjectStatus;
  percent: number | null;
  expectedPercent: number | null;
  tolerancePoints: number;
  target: number | null;
}

export type Finding = OverdueFinding | RiskFinding;

/** A finding as stored: written once per occurrence, its INSERT is what the publisher announces. */
export type Notice = Finding & {
  notedAt: string;
  /** The id of the watchdog run that wrote it: its events and their deliveries carry it. */
  correlationId?: string;
};

export interface WatchDecision {
  projectId: string;
  status: ProjectStatus;
  overdue: OverdueFinding[];
  risk: RiskFinding | null;
  /** The watch state to store (with `risk`, in one write), or null when nothing changed. */
  nextState: WatchState | null;
}

/** Today (in China) lies between the project's start and its deadline, both included. */
export const isActiveOn = (project: Project, today: CalendarDate): boolean =>
  today >= project.startDate && today <= project.deadline;

/**
 * Decides a project's findings at `now`:
 * - overdue: for an active project that is not completed, each province whose report is overdue
 *   (longer than `reportingIntervalDays` since its last report, or since the start if it never
 *   reported), unless it already reached its own target (`each`: the target; `sum`: its share,
 *   when one is set);
 * - at risk: the status turned `at-risk` (from anything else, or from nothing seen yet), or
 *   turned from `at-risk` to anything else.
 */
export const decideWatch = (view: WatchedProject, now: Date, previous: WatchState | null): WatchDecision => {
  const { project } = view;
  const today = chinaDate(now);
  const progress = computeProgress(project, view.region, view.provinces, now);
  const states = new Map(view.provinces.map((state) => [state.province, state]));

  const watchesReports = isActiveOn(project, today) && progress.status !== 'completed';
  const overdue: OverdueFinding[] = watchesReports
    ? progress.provinces
        .filter((p) => p.reportOverdue)
        .filter((p) => !(p.target !== null && p.target > 0 && p.value >= p.target))
        .map((p) => {
          const state = states.get(p.province);
          return {
            kind: 'overdue',
            projectId: project.id,
            province: p.province,
            lastMilestoneId: state?.lastMilestoneId ?? null,
            lastReportedAt: state?.lastReportedAt ?? null,
            lastAsOf: state?.asOf ?? null,
            daysSinceLastReport: p.daysSinceLastReport ?? daysBetween(project.startDate, today),
            reportingIntervalDays: project.reportingIntervalDays,
            currentValue: p.value,
          };
        })
    : [];

  const before = previous?.status ?? null;
  const status = progress.status;
  const turned = (before === 'at-risk') !== (status === 'at-risk');
  const riskTransitions = previous?.riskTransitions ?? 0;
  const risk: RiskFinding | null = turned
    ? {
        kind: 'risk',
        projectId: project.id,
        sequence: riskTransitions + 1,
        atRisk: status === 'at-risk',
        previousStatus: before,
        status,
        percent: progress.percent,
        expectedPercent: progress.expectedPercent,
        tolerancePoints: project.atRiskTolerancePoints,
        target: project.target,
      }
    : null;

  const nextState: WatchState | null =
    previous === null || previous.status !== status
      ? {
          projectId: project.id,
          status,
          riskTransitions: risk ? risk.sequence : riskTransitions,
          version: (previous?.version ?? 0) + 1,
          updatedAt: now.toISOString(),
        }
      : null;

  return { projectId: project.id, status, overdue, risk, nextState };
};
