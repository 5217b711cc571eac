import { describe, expect, it } from 'vitest';
import type { ProvinceState } from '../../../functions/domain/milestone.js';
import type { RegionAggregate } from '../../../functions/domain/progress.js';
import type { Project } from '../../../functions/domain/project.js';
import type { Province } from '../../../functions/domain/provinces.js';
import {
  decideWatch,
  isActiveOn,
  type WatchedProject,
  type WatchState,
} from '../../../functions/domain/watchdog.js';
import { projectFixture, provinceState } from '../../support/fixtures.js';

/** An instant given as a wall-clock time in China (UTC+8). */
const china = (dateTime: string) => new Date(`${dateTime}+08:00`);

/** rail-2024 (sum, 660 km, 2024) reporting every 7 days unless told otherwise. */
const project = (changes: Partial<Project> = {}): Project =>
  projectFixture('rail-2024', { reportingIntervalDays: 7, ...changes });

/** A province that last reported `value` at `reportedAt` (China wall-clock), with milestone `mid`. */
const reported = (
  province: Province,
  value: number,
  reportedAt: string,
  mid = `m-${province}-${reportedAt}`,
) =>
  provinceState(province, value, reportedAt.slice(0, 10), {
    lastReportedAt: china(reportedAt).toISOString(),
    lastMilestoneId: mid,
  });

const view = (p: Project, states: ProvinceState[] = []): WatchedProject => {
  const provinceValues = Object.fromEntries(states.map((s) => [s.province, s.value]));
  const region: RegionAggregate = {
    total: states.reduce((sum, s) => sum + s.value, 0),
    provinceValues,
    version: states.length,
    updatedAt: '2024-01-01T00:00:00.000Z',
  };
  return { project: p, region, provinces: states };
};

const watchState = (status: WatchState['status'], changes: Partial<WatchState> = {}): WatchState => ({
  projectId: 'rail-2024',
  status,
  riskTransitions: status === 'at-risk' ? 1 : 0,
  version: 3,
  updatedAt: '2024-06-01T01:00:00.000Z',
  ...changes,
});

const overdueProvinces = (v: WatchedProject, now: Date) =>
  decideWatch(v, now, null).overdue.map((f) => f.province);

describe('decideWatch: overdue reports', () => {
  it('finds a province silent for longer than the interval, identified by its last milestone', () => {
    const jiangsu = reported('jiangsu', 120, '2024-06-01T10:00', 'm-42');
    const [finding, ...rest] = decideWatch(
      view(project(), [jiangsu]),
      china('2024-06-09T09:00'),
      null,
    ).overdue.filter((f) => f.province === 'jiangsu');
    expect(rest).toEqual([]);
    expect(finding).toEqual({
      kind: 'overdue',
      projectId: 'rail-2024',
      province: 'jiangsu',
      lastMilestoneId: 'm-42',
      lastReportedAt: '2024-06-01T02:00:00.000Z',
      lastAsOf: '2024-06-01',
      daysSinceLastReport: 8,
      reportingIntervalDays: 7,
      currentValue: 120,
    });
  });

  it('finds nothing on the last day of the interval, and the province on the day after', () => {
    const states = (['shanghai', 'jiangsu', 'zhejiang', 'anhui'] as const).map((p) =>
      reported(p, 10, '2024-06-01T10:00'),
    );
    expect(overdueProvinces(view(project(), states), china('2024-06-08T23:59'))).toEqual([]);
    expect(overdueProvinces(view(project(), states), china('2024-06-09T00:00'))).toEqual([
      'shanghai',
      'jiangsu',
      'zhejiang',
      'anhui',
    ]);
  });

  it('counts days on the China calendar, not the UTC one', () => {
    // Reported late on 1 June in China (still 1 June in UTC); 00:10 on 9 June in China is 8 June in UTC.
    const late = reported('jiangsu', 10, '2024-06-01T23:30');
    expect(overdueProvinces(view(project(), [late]), china('2024-06-09T00:10'))).toContain('jiangsu');
    // Reported just after midnight on 2 June in China (1 June in UTC): on 9 June it is day 7, not 8.
    const early = reported('jiangsu', 10, '2024-06-02T00:10');
    expect(overdueProvinces(view(project(), [early]), china('2024-06-09T23:50'))).not.toContain('jiangsu');
  });

  it("counts a province that never reported from the project's start", () => {
    const p = project({ startDate: '2024-06-01' });
    expect(overdueProvinces(view(p), china('2024-06-08T12:00'))).toEqual([]);
    const findings = decideWatch(view(p), china('2024-06-09T12:00'), null).overdue;
    expect(findings.map((f) => f.province)).toEqual(['shanghai', 'jiangsu', 'zhejiang', 'anhui']);
    expect(findings[0]).toEqual({
      kind: 'overdue',
      projectId: 'rail-2024',
      province: 'shanghai',
      lastMilestoneId: null,
      lastReportedAt: null,
      lastAsOf: null,
      daysSinceLastReport: 8,
      reportingIntervalDays: 7,
      currentValue: 0,
    });
  });

  it('watches a project from its start to its deadline, both days included, and not outside them', () => {
    const p = project({ startDate: '2024-03-01', deadline: '2024-09-30' });
    const silent = [reported('jiangsu', 10, '2024-08-01T10:00')];
    expect(isActiveOn(p, '2024-02-29')).toBe(false);
    expect(isActiveOn(p, '2024-03-01')).toBe(true);
    expect(isActiveOn(p, '2024-09-30')).toBe(true);
    expect(isActiveOn(p, '2024-10-01')).toBe(false);
    expect(overdueProvinces(view(p, silent), china('2024-09-30T23:59'))).toContain('jiangsu');
    expect(overdueProvinces(view(p, silent), china('2024-10-01T00:00'))).toEqual([]);
    expect(overdueProvinces(view(p), china('2024-02-29T12:00'))).toEqual([]);
  });

  it('finds nothing for a completed project, however long the provinces have been silent', () => {
    const states = [reported('jiangsu', 400, '2024-03-01T10:00'), reported('anhui', 260, '2024-03-01T10:00')];
    const decision = decideWatch(view(project(), states), china('2024-06-30T09:00'), null);
    expect(decision.status).toBe('completed');
    expect(decision.overdue).toEqual([]);
  });

  it("skips a province that reached its own target in an 'each' project", () => {
    const p = project({ aggregation: 'each', target: 12 });
    const states = [reported('jiangsu', 12, '2024-03-01T10:00'), reported('shanghai', 5, '2024-03-01T10:00')];
    expect(overdueProvinces(view(p, states), china('2024-06-30T09:00'))).toEqual([
      'shanghai',
      'zhejiang',
      'anhui',
    ]);
  });

  it("skips a province that reached its share of a 'sum' target, but not one without a share", () => {
    const p = project({ provinceTargets: { jiangsu: 200 } });
    const states = [reported('jiangsu', 200, '2024-03-01T10:00'), reported('anhui', 300, '2024-03-01T10:00')];
    expect(overdueProvinces(view(p, states), china('2024-06-30T09:00'))).toEqual([
      'shanghai',
      'zhejiang',
      'anhui',
    ]);
  });

  it('still watches the reports of a project without a target', () => {
    const decision = decideWatch(view(project({ target: null })), china('2024-06-30T09:00'), null);
    expect(decision.status).toBe('no-target');
    expect(decision.overdue).toHaveLength(4);
  });

  it('finds the same occurrence every day of one silence, and a new one after the next report', () => {
    const first = reported('jiangsu', 10, '2024-06-01T10:00', 'm-1');
    const p = project();
    const day9 = decideWatch(view(p, [first]), china('2024-06-09T09:00'), null).overdue[1];
    const day20 = decideWatch(view(p, [first]), china('2024-06-20T09:00'), null).overdue[1];
    expect(day9).toMatchObject({ province: 'jiangsu', lastMilestoneId: 'm-1', daysSinceLastReport: 8 });
    expect(day20).toMatchObject({ province: 'jiangsu', lastMilestoneId: 'm-1', daysSinceLastReport: 19 });

    const next = reported('jiangsu', 20, '2024-06-21T10:00', 'm-2');
    expect(overdueProvinces(view(p, [next]), china('2024-06-28T09:00'))).not.toContain('jiangsu');
    expect(decideWatch(view(p, [next]), china('2024-06-29T09:00'), null).overdue[1]).toMatchObject({
      province: 'jiangsu',
      lastMilestoneId: 'm-2',
      daysSinceLastReport: 8,
    });
  });
});

describe('decideWatch: at-risk transitions', () => {
  // On 30 June the straight line stands near 49.6 %: 10 km of 660 is far behind it, 400 km is ahead.
  const behind = () => view(project(), [reported('jiangsu', 10, '2024-06-29T10:00')]);
  const ahead = () => view(project(), [reported('jiangsu', 400, '2024-06-29T10:00')]);
  const JUNE_30 = china('2024-06-30T09:00');

  it('announces the first turn to at-risk it sees as transition 1, with the figures behind it', () => {
    const decision = decideWatch(behind(), JUNE_30, null);
    expect(decision.status).toBe('at-risk');
    expect(decision.risk).toEqual({
      kind: 'risk',
      projectId: 'rail-2024',
      sequence: 1,
      atRisk: true,
      previousStatus: null,
      status: 'at-risk',
      percent: 1.52,
      expectedPercent: 49.59,
      tolerancePoints: 10,
      target: 660,
    });
    expect(decision.nextState).toEqual({
      projectId: 'rail-2024',
      status: 'at-risk',
      riskTransitions: 1,
      version: 1,
      updatedAt: JUNE_30.toISOString(),
    });
  });

  it('announces nothing and stores nothing while the status stays at-risk', () => {
    const decision = decideWatch(behind(), JUNE_30, watchState('at-risk'));
    expect(decision.risk).toBeNull();
    expect(decision.nextState).toBeNull();
  });

  it('announces the turn back once, with the new status, as the next transition', () => {
    const decision = decideWatch(ahead(), JUNE_30, watchState('at-risk', { riskTransitions: 1, version: 3 }));
    expect(decision.risk).toMatchObject({
      sequence: 2,
      atRisk: false,
      previousStatus: 'at-risk',
      status: 'on-track',
    });
    expect(decision.nextState).toMatchObject({ status: 'on-track', riskTransitions: 2, version: 4 });
    expect(decideWatch(ahead(), JUNE_30, decision.nextState).risk).toBeNull();
  });

  it('counts a turn from at-risk to overdue (the deadline passed) as a turn back', () => {
    const decision = decideWatch(behind(), china('2025-01-01T09:00'), watchState('at-risk'));
    expect(decision.risk).toMatchObject({ atRisk: false, status: 'overdue', sequence: 2 });
  });

  it('stores, without announcing, a first status or a change that does not touch at-risk', () => {
    const first = decideWatch(ahead(), JUNE_30, null);
    expect(first.risk).toBeNull();
    expect(first.nextState).toMatchObject({ status: 'on-track', riskTransitions: 0, version: 1 });

    const done = view(project(), [reported('jiangsu', 660, '2024-06-29T10:00')]);
    const completed = decideWatch(done, JUNE_30, watchState('on-track', { riskTransitions: 2, version: 5 }));
    expect(completed.risk).toBeNull();
    expect(completed.nextState).toMatchObject({ status: 'completed', riskTransitions: 2, version: 6 });
  });

  it('numbers a round trip in and out of at-risk in order', () => {
    let state: WatchState | null = null;
    const seen: (boolean | undefined)[] = [];
    for (const v of [behind(), behind(), ahead(), ahead(), behind()]) {
      const decision = decideWatch(v, JUNE_30, state);
      if (decision.risk) seen.push(decision.risk.atRisk);
      state = decision.nextState ?? state;
    }
    expect(seen).toEqual([true, false, true]);
    expect(state).toMatchObject({ status: 'at-risk', riskTransitions: 3, version: 3 });
  });

  it('judges at-risk by the China date at the day boundary', () => {
    // A 10-day project: on day 1 the line is at 10 % (0 % is within tolerance), on day 2 at 20 %.
    const p = project({ startDate: '2024-01-01', deadline: '2024-01-11', reportingIntervalDays: 30 });
    expect(decideWatch(view(p), china('2024-01-02T23:59'), null).status).toBe('on-track');
    // 2024-01-02T16:00Z is still 2 January in UTC but already 3 January in China.
    expect(decideWatch(view(p), new Date('2024-01-02T16:00:00.000Z'), null).risk).toMatchObject({
      atRisk: true,
      expectedPercent: 20,
    });
  });
});
