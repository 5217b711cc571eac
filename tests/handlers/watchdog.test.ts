/**
 * The watchdog handler's own decisions, with stand-in repositories: failures the database can
 * produce only by chance (a throttled project, a watch state changing under the run).
 */
import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../functions/domain/errors.js';
import type { OverdueFinding, RiskFinding, WatchState } from '../../functions/domain/watchdog.js';
import { createWatchdog, MAX_WATCH_ATTEMPTS } from '../../functions/handlers/watchdog.js';
import { METRIC } from '../../functions/observability/metric-names.js';
import type { NoticeRepository, SaveOutcome } from '../../functions/storage/notice-repository.js';
import type { ProjectRepository, ProjectView } from '../../functions/storage/project-repository.js';
import { projectFixture } from '../support/fixtures.js';
import { capturingLogger, silentLogger } from '../support/log-lines.js';
import { recordingMetrics } from '../support/metrics.js';

/** An instant given as a wall-clock time in China (UTC+8). */
const china = (dateTime: string) => new Date(`${dateTime}+08:00`);

/** A 2024 project with no report at all: on 30 June four provinces are overdue and it is at risk. */
const silentView = (id: string): ProjectView => ({
  project: { ...projectFixture('rail-2024'), id },
  region: { total: 0, provinceValues: {}, version: 0, updatedAt: '2024-01-01T00:00:00.000Z' },
  provinces: [],
});

interface FakeNotices {
  repository: NoticeRepository;
  overdue: OverdueFinding[];
  saves: { previous: WatchState | null; next: WatchState; risk: RiskFinding | null }[];
  reads: string[];
  /** The correlation id each notice was written with. */
  correlationIds: (string | undefined)[];
}

const fakeNotices = (options: {
  state?: (projectId: string, read: number) => WatchState | null;
  save?: (projectId: string, attempt: number) => SaveOutcome;
  failFor?: string;
}): FakeNotices => {
  const fake: Omit<FakeNotices, 'repository'> = { overdue: [], saves: [], reads: [], correlationIds: [] };
  const repository = {
    getWatchState: async (projectId: string) => {
      if (projectId === options.failFor) {
        throw new ServiceUnavailableError('The database is busy or unreachable; retry shortly.', 1);
      }
      fake.reads.push(projectId);
      return options.state?.(projectId, fake.reads.filter((id) => id === projectId).length) ?? null;
    },
    writeOverdue: async (finding: OverdueFinding, _notedAt: Date, correlationId?: string) => {
      fake.overdue.push(finding);
      fake.correlationIds.push(correlationId);
      return true;
    },
    saveWatch: async (
      previous: WatchState | null,
      next: WatchState,
      risk: RiskFinding | null,
      _notedAt: Date,
      correlationId?: string,
    ) => {
      fake.saves.push({ previous, next, risk });
      if (risk) fake.correlationIds.push(correlationId);
      return (
        options.save?.(
          next.projectId,
          fake.saves.filter((s) => s.next.projectId === next.projectId).length,
        ) ?? 'saved'
      );
    },
  } as unknown as NoticeRepository;
  return { ...fake, repository };
};

const fakeProjects = (byYear: Record<number, ProjectView[]>) => {
  const years: number[] = [];
  const repository = {
    listYear: async (year: number) => {
      years.push(year);
      return byYear[year] ?? [];
    },
  } as unknown as ProjectRepository;
  return { repository, years };
};

describe('the watchdog handler', () => {
  it("checks this year's and last year's lists, taking the year from the China date", async () => {
    const projects = fakeProjects({});
    const notices = fakeNotices({});
    const watchdog = createWatchdog({
      projects: projects.repository,
      notices: notices.repository,
      // 16:30 UTC on New Year's Eve is already 1 January 2026 in China.
      now: () => new Date('2025-12-31T16:30:00.000Z'),
      log: silentLogger(),
    });
    expect(
      await watchdog({ source: 'eventbridge-scheduler', scheduledTime: '2025-12-31T16:30:00Z' }),
    ).toEqual({
      projectsChecked: 0,
      noticesWritten: 0,
    });
    expect(projects.years).toEqual([2025, 2026]);
  });

  it('counts what it wrote: the overdue notices and the risk notice saved with the watch state', async () => {
    const notices = fakeNotices({});
    const { log, lines } = capturingLogger();
    const metrics = recordingMetrics();
    const watchdog = createWatchdog({
      projects: fakeProjects({ 2024: [silentView('a-2024'), silentView('b-2024')] }).repository,
      notices: notices.repository,
      now: () => china('2024-06-30T09:00'),
      log,
      metrics: metrics.metrics,
    });
    expect(await watchdog({ executionId: 'exec-1' })).toEqual({ projectsChecked: 2, noticesWritten: 10 });
    expect(notices.saves.map((s) => [s.next.projectId, s.risk?.sequence])).toEqual([
      ['a-2024', 1],
      ['b-2024', 1],
    ]);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        message: 'watchdog run',
        projectsChecked: 2,
        noticesWritten: 10,
        executionId: 'exec-1',
      }),
    ]);
    expect(metrics.totals()).toEqual({ [METRIC.watchdogNotices]: 10, [METRIC.watchdogRuns]: 1 });
  });

  it("writes every notice of a run with the run's id (Lambda's request id), which its line carries too", async () => {
    for (const [context, runId] of [
      [{ awsRequestId: 'lambda-run-1' }, 'lambda-run-1'],
      [undefined, 'local-run-1'],
    ] as const) {
      const notices = fakeNotices({});
      const { log, lines } = capturingLogger();
      const watchdog = createWatchdog({
        projects: fakeProjects({ 2024: [silentView('a-2024')] }).repository,
        notices: notices.repository,
        now: () => china('2024-06-30T09:00'),
        log,
        newRunId: () => 'local-run-1',
      });
      await watchdog({}, context);
      expect(notices.correlationIds.length).toBeGreaterThan(1);
      expect(new Set(notices.correlationIds)).toEqual(new Set([runId]));
      expect(lines[0]).toMatchObject({ message: 'watchdog run', correlationId: runId });
      expect(lines[0]?.requestId).toBe(context?.awsRequestId);
    }
  });

  it('still checks the other projects when one fails, then throws so the run is retried', async () => {
    const notices = fakeNotices({ failFor: 'b-2024' });
    const { log, lines } = capturingLogger();
    const metrics = recordingMetrics();
    const watchdog = createWatchdog({
      projects: fakeProjects({ 2024: ['a-2024', 'b-2024', 'c-2024'].map(silentView) }).repository,
      notices: notices.repository,
      now: () => china('2024-06-30T09:00'),
      log,
      metrics: metrics.metrics,
    });
    await expect(watchdog()).rejects.toThrow(/could not check b-2024/);
    expect(notices.saves.map((s) => s.next.projectId)).toEqual(['a-2024', 'c-2024']);
    expect(lines[0]).toMatchObject({ level: 'error', failed: ['b-2024'], projectsChecked: 2 });
    // The notices it wrote count; the run does not, since it did not finish (the alarm watches runs).
    expect(metrics.totals()).toEqual({ [METRIC.watchdogNotices]: 10 });
  });

  it('reads the watch state and decides again when another run stored one first', async () => {
    // The other run saw the project turn at-risk and announced it: this run has nothing left to say.
    const theirs: WatchState = {
      projectId: 'a-2024',
      status: 'at-risk',
      riskTransitions: 1,
      version: 1,
      updatedAt: '2024-06-30T01:00:00.000Z',
    };
    const notices = fakeNotices({
      state: (_id, read) => (read === 1 ? null : theirs),
      save: () => 'conflict',
    });
    const watchdog = createWatchdog({
      projects: fakeProjects({ 2024: [silentView('a-2024')] }).repository,
      notices: notices.repository,
      now: () => china('2024-06-30T09:00'),
      log: silentLogger(),
    });
    expect(await watchdog()).toEqual({ projectsChecked: 1, noticesWritten: 4 });
    expect(notices.reads).toEqual(['a-2024', 'a-2024']);
    expect(notices.saves).toHaveLength(1);
    expect(notices.overdue).toHaveLength(4);
  });

  it('gives up on a project whose watch state keeps changing, after a bounded number of attempts', async () => {
    const notices = fakeNotices({ save: () => 'conflict' });
    const watchdog = createWatchdog({
      projects: fakeProjects({ 2024: [silentView('a-2024')] }).repository,
      notices: notices.repository,
      now: () => china('2024-06-30T09:00'),
      log: silentLogger(),
    });
    await expect(watchdog()).rejects.toThrow(/could not check a-2024/);
    expect(notices.saves).toHaveLength(MAX_WATCH_ATTEMPTS);
    // The overdue notices are conditional puts of their own: written once, not once per attempt.
    expect(notices.overdue).toHaveLength(4);
  });
});
