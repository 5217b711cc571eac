import { describe, expect, it } from 'vitest';
import { expectedPercentOn } from '../../../functions/domain/metric-progress.js';
import { computeProgress, type RegionAggregate } from '../../../functions/domain/progress.js';
import type { Province } from '../../../functions/domain/provinces.js';
import { MID_2024, projectFixture, provinceState } from '../../support/fixtures.js';

const region = (values: Partial<Record<Province, number>>): RegionAggregate => ({
  total: Object.values(values).reduce((a, b) => a + b, 0),
  provinceValues: values,
  version: 1,
  updatedAt: '2024-06-30T00:00:00.000Z',
});

const statesFor = (values: Partial<Record<Province, number>>, asOf = '2024-06-29') =>
  Object.entries(values).map(([province, value]) => provinceState(province as Province, value, asOf));

describe('computeProgress for a sum project', () => {
  it('adds the provinces into the region total and divides by the target', () => {
    const values = { shanghai: 60, jiangsu: 210.5, zhejiang: 40.25, anhui: 19.25 };
    const progress = computeProgress(
      projectFixture('rail-2024'),
      region(values),
      statesFor(values),
      MID_2024,
    );
    expect(progress.total).toBe(330);
    expect(progress.percent).toBe(50);
    expect(progress.provinces.find((p) => p.province === 'jiangsu')).toMatchObject({
      value: 210.5,
      target: null,
      percent: null,
    });
  });

  it('shows more than 100 % honestly when the region goes past a minimum target', () => {
    const values = { shanghai: 30_000, jiangsu: 30_000, zhejiang: 20_000, anhui: 4_000 };
    const progress = computeProgress(
      projectFixture('ev-charging-2024'),
      region(values),
      statesFor(values),
      MID_2024,
    );
    expect(progress.percent).toBe(120);
    expect(progress.status).toBe('completed');
  });

  it('gives a province a percent of its own share when the coordinator split the target', () => {
    const project = projectFixture('rail-2024', { provinceTargets: { jiangsu: 200 } });
    const values = { jiangsu: 150 };
    const jiangsu = computeProgress(project, region(values), statesFor(values), MID_2024).provinces.find(
      (p) => p.province === 'jiangsu',
    );
    expect(jiangsu).toMatchObject({ target: 200, percent: 75 });
  });

  it('lists all four provinces, with zero for one that has not reported', () => {
    const values = { jiangsu: 10 };
    const progress = computeProgress(
      projectFixture('rail-2024'),
      region(values),
      statesFor(values),
      MID_2024,
    );
    expect(progress.provinces.map((p) => p.province)).toEqual(['shanghai', 'jiangsu', 'zhejiang', 'anhui']);
    expect(progress.provinces[0]).toMatchObject({
      value: 0,
      asOf: null,
      lastReportedAt: null,
      reportCount: 0,
    });
  });

  it('sums decimals without float noise', () => {
    const values = { shanghai: 0.1, jiangsu: 0.2 };
    expect(
      computeProgress(projectFixture('rail-2024'), region(values), statesFor(values), MID_2024).total,
    ).toBe(0.3);
  });
});

describe('computeProgress for an each project', () => {
  const project = projectFixture('medical-insurance-2024');

  it("averages the provinces' percents, each capped at 100, so one province's surplus cannot hide another's gap", () => {
    const values = { shanghai: 24, jiangsu: 12, zhejiang: 6, anhui: 0 };
    const progress = computeProgress(project, region(values), statesFor(values), MID_2024);
    expect(progress.percent).toBe(62.5);
    expect(progress.provinces.find((p) => p.province === 'shanghai')).toMatchObject({
      target: 12,
      percent: 200,
    });
    expect(progress.status).not.toBe('completed');
  });

  it('is complete only when every province reaches the target', () => {
    const values = { shanghai: 12, jiangsu: 13, zhejiang: 12, anhui: 12 };
    const progress = computeProgress(project, region(values), statesFor(values), MID_2024);
    expect(progress.percent).toBe(100);
    expect(progress.status).toBe('completed');
  });
});

describe('project status', () => {
  const rail = projectFixture('rail-2024');

  it('is on track when progress keeps up with the straight line from start to deadline', () => {
    // 30 June is day 181 of 365: the line stands at about 49.6 %.
    const values = { jiangsu: 300 };
    const progress = computeProgress(rail, region(values), statesFor(values), MID_2024);
    expect(progress.expectedPercent).toBeCloseTo(49.59, 1);
    expect(progress.status).toBe('on-track');
  });

  it('is at risk when behind the line by more than the tolerance', () => {
    const values = { jiangsu: 250 };
    expect(computeProgress(rail, region(values), statesFor(values), MID_2024).status).toBe('at-risk');
  });

  it('stays on track within the tolerance', () => {
    const values = { jiangsu: 265 };
    expect(computeProgress(rail, region(values), statesFor(values), MID_2024).status).toBe('on-track');
  });

  it('is overdue once the deadline has passed without completion', () => {
    const values = { jiangsu: 600 };
    const january = new Date('2025-01-01T04:00:00.000Z');
    expect(computeProgress(rail, region(values), statesFor(values), january).status).toBe('overdue');
  });

  it('has no status but no-target while no target is set', () => {
    const values = { jiangsu: 5 };
    const progress = computeProgress(
      projectFixture('elderly-care-2024'),
      region(values),
      statesFor(values),
      MID_2024,
    );
    expect(progress).toMatchObject({ status: 'no-target', percent: null, expectedPercent: null, total: 5 });
  });

  it('expects 0 % on the first day and 100 % on the deadline', () => {
    expect(expectedPercentOn(rail, '2024-01-01')).toBe(0);
    expect(expectedPercentOn(rail, '2024-12-31')).toBe(100);
    expect(expectedPercentOn(rail, '2023-06-01')).toBe(0);
  });
});

describe('reporting freshness', () => {
  it('marks a province overdue after the reporting interval without a report', () => {
    const rail = projectFixture('rail-2024');
    const states = [provinceState('jiangsu', 10, '2024-05-15'), provinceState('anhui', 10, '2024-06-20')];
    const progress = computeProgress(rail, region({ jiangsu: 10, anhui: 10 }), states, MID_2024);
    const byProvince = Object.fromEntries(progress.provinces.map((p) => [p.province, p]));
    expect(byProvince.jiangsu).toMatchObject({ daysSinceLastReport: 46, reportOverdue: true });
    expect(byProvince.anhui).toMatchObject({ daysSinceLastReport: 10, reportOverdue: false });
    // Never reported since the start on 1 January: 181 days.
    expect(byProvince.shanghai).toMatchObject({ daysSinceLastReport: null, reportOverdue: true });
    expect(progress.lastReportedAt).toBe('2024-06-20T04:00:00.000Z');
  });
});
