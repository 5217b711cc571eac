import { randomUUID } from 'node:crypto';
import { chinaDate } from '../domain/calendar.js';
import { decideWatch } from '../domain/watchdog.js';
import { invocationMetrics, withMetrics } from '../observability/invocation-metrics.js';
import { type InvocationContext, invocationLogger, type Logger } from '../observability/logger.js';
import { METRIC } from '../observability/metric-names.js';
import { type Metrics, noMetrics } from '../observability/metrics.js';
import { lazy } from '../shared/lazy.js';
import { createDocumentClient, tableNameFromEnv } from '../storage/client.js';
import { NoticeRepository } from '../storage/notice-repository.js';
import { ProjectRepository, type ProjectView } from '../storage/project-repository.js';

/**
 * What EventBridge Scheduler passes (the schedule's input, with its context attributes filled
 * in); the local runtime passes the same shape. Nothing in it changes what the watchdog decides.
 */
export interface WatchdogInvocation {
  source?: string;
  scheduledTime?: string;
  executionId?: string;
  attemptNumber?: string | number;
}

export interface WatchdogSummary {
  projectsChecked: number;
  /** Notices written by this run: occurrences no earlier run had announced. */
  noticesWritten: number;
}

export interface WatchdogDependencies {
  projects: ProjectRepository;
  notices: NoticeRepository;
  now: () => Date;
  log?: Logger;
  /** The run's id where Lambda gives none (the local runtime): a fresh UUID. */
  newRunId?: () => string;
  /** Notices written, and one run per run that checked every project. */
  metrics?: Metrics;
}

/** Reads of the watch state and decisions again, when another run stored a state in between. */
export const MAX_WATCH_ATTEMPTS = 5;

/**
 * The daily watchdog. It never calls EventBridge: it writes a notice per new occurrence (a
 * conditional put, so each occurrence is written once), and the table's stream announces each
 * notice as an event, like every other fact. A run that fails for some projects still checks the
 * others, then throws, so the invocation is retried; a retry writes only what is still missing.
 */
export const createWatchdog =
  (deps: WatchdogDependencies) =>
  async (input: WatchdogInvocation = {}, context?: InvocationContext): Promise<WatchdogSummary> => {
    // The run's id is the correlation id of every notice it writes, and of their events and deliveries.
    const runId = context?.awsRequestId ?? (deps.newRunId ?? randomUUID)();
    const log = invocationLogger(deps.log, context).child({ correlationId: runId });
    const now = deps.now();
    const year = Number(chinaDate(now).slice(0, 4));
    // A project of last year's list may still run (a deadline moved into this year).
    const views = [...(await deps.projects.listYear(year - 1)), ...(await deps.projects.listYear(year))];

    let noticesWritten = 0;
    const failures: { projectId: string; error: unknown }[] = [];
    for (const view of views) {
      try {
        noticesWritten += await watchProject(deps, view, now, runId);
      } catch (error) {
        failures.push({ projectId: view.project.id, error });
      }
    }
    const summary: WatchdogSummary = { projectsChecked: views.length - failures.length, noticesWritten };
    const metrics = deps.metrics ?? noMetrics;
    // Also 0: a run that found nothing is data, not a gap in the graph.
    metrics.add(METRIC.watchdogNotices, noticesWritten);
    if (failures.length === 0) metrics.add(METRIC.watchdogRuns);
    log[failures.length > 0 ? 'error' : 'info']('watchdog run', {
      ...summary,
      failed: failures.map((f) => f.projectId),
      scheduledTime: input.scheduledTime,
      executionId: input.executionId,
    });
    if (failures.length > 0) {
      throw new AggregateError(
        failures.map((f) => f.error),
        `The watchdog could not check ${failures.map((f) => f.projectId).join(', ')}`,
      );
    }
    return summary;
  };

/** One project: its overdue notices, then its watch state with the risk notice, if any. */
const watchProject = async (
  deps: WatchdogDependencies,
  view: ProjectView,
  now: Date,
  runId: string,
): Promise<number> => {
  let written = 0;
  let overdueDone = false;
  for (let attempt = 1; attempt <= MAX_WATCH_ATTEMPTS; attempt++) {
    const previous = await deps.notices.getWatchState(view.project.id);
    const decision = decideWatch(view, now, previous);
    if (!overdueDone) {
      for (const finding of decision.overdue) {
        if (await deps.notices.writeOverdue(finding, now, runId)) written++;
      }
      overdueDone = true;
    }
    if (decision.nextState === null) return written;
    const outcome = await deps.notices.saveWatch(previous, decision.nextState, decision.risk, now, runId);
    if (outcome === 'saved') return written + (decision.risk ? 1 : 0);
  }
  throw new Error(
    `The watch state of ${view.project.id} kept changing under this run (${MAX_WATCH_ATTEMPTS} attempts)`,
  );
};

const run = lazy(() => {
  const db = createDocumentClient();
  const tableName = tableNameFromEnv();
  return createWatchdog({
    projects: new ProjectRepository({ db, tableName }),
    notices: new NoticeRepository({ db, tableName }),
    now: () => new Date(),
    metrics: invocationMetrics,
  });
});

export const handler = withMetrics(
  (input?: WatchdogInvocation, context?: InvocationContext): Promise<WatchdogSummary> =>
    run(input ?? {}, context),
);
