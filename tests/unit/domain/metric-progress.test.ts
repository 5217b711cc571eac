import { describe, expect, it } from 'vitest';
import { metric } from '../../../functions/domain/catalogue/item.js';
import type { Metric, Scope } from '../../../functions/domain/metric.js';
import {
  computeMetricProgress,
  type Schedule,
  type ScopeState,
} from '../../../functions/domain/metric-progress.js';
import { MID_2024 } from '../../support/fixtures.js';

/** 2024 runs the whole year: on 2024-06-30 a straight line stands at 49.59 %. */
const YEAR_2024: Schedule = {
  startDate: '2024-01-01',
  deadline: '2024-12-31',
  reportingIntervalDays: 30,
  atRiskTolerancePoints: 10,
};
const AFTER_DEADLINE = new Date('2025-01-10T04:00:00.000Z');

const state = (scope: Scope, value: number, asOf = '2024-06-29'): ScopeState => ({
  scope,
  value,
  asOf,
  lastReportedAt: `${asOf}T04:00:00.000Z`,
  lastMilestoneId: `m-${scope}-${asOf}`,
  reportCount: 1,
});

const km = metric({ id: 'km', name: { zh: '里程', en: 'km' }, allowDecimals: true, target: 660 });
const ratio = metric({
  id: 'ratio',
  name: { zh: '车桩比', en: 'ratio' },
  allowDecimals: true,
  direction: 'atMost',
  baseline: 2.5,
  target: 1.9,
  combine: 'region',
});
const oneCard = metric({
  id: 'list',
  name: { zh: '事项', en: 'services' },
  baseline: 78,
  target: 113,
  combine: 'region',
});
const gifts = metric({ id: 'gifts', name: { zh: '伴手礼', en: 'gifts' }, target: 30, combine: 'each' });

const progressOf = (m: Metric, states: ScopeState[], now = MID_2024) =>
  computeMetricProgress(m, YEAR_2024, states, now);

describe('a sum metric', () => {
  it('adds the provinces and measures from zero to the target', () => {
    const p = progressOf(km, [state('jiangsu', 210.5), state('anhui', 119.5)]);
    expect(p).toMatchObject({ value: 330, percent: 50, expectedPercent: 49.59, status: 'on-track' });
    expect(p.scopes.map((s) => s.scope)).toEqual(['shanghai', 'jiangsu', 'zhejiang', 'anhui']);
    expect(p.scopes[0]).toMatchObject({ value: 0, reportCount: 0, asOf: null });
  });

  it('is at risk when further behind the straight line than the tolerance', () => {
    expect(progressOf(km, [state('jiangsu', 250)]).status).toBe('at-risk');
    expect(progressOf(km, [state('jiangsu', 265)]).status).toBe('on-track');
  });

  it('is overdue after the deadline unless it reached the target', () => {
    expect(progressOf(km, [state('jiangsu', 659)], AFTER_DEADLINE).status).toBe('overdue');
    expect(progressOf(km, [state('jiangsu', 700)], AFTER_DEADLINE)).toMatchObject({
      status: 'completed',
      percent: 106.06,
    });
  });
});

describe('an atMost metric', () => {
  it('runs from the baseline down to the target', () => {
    expect(progressOf(ratio, [state('region', 2.2)])).toMatchObject({
      value: 2.2,
      percent: 50,
      status: 'on-track',
    });
    expect(progressOf(ratio, [state('region', 1.9)])).toMatchObject({ percent: 100, status: 'completed' });
    expect(progressOf(ratio, [state('region', 1.6)])).toMatchObject({ percent: 150, status: 'completed' });
  });

  it('goes backwards when the figure rises above the baseline', () => {
    expect(progressOf(ratio, [state('region', 2.8)])).toMatchObject({ percent: -50, status: 'at-risk' });
  });

  it('has no percentage without a baseline, yet completes once a report reaches the target', () => {
    const unknownStart = { ...ratio, baseline: null };
    expect(progressOf(unknownStart, [state('region', 2.2)])).toMatchObject({
      percent: null,
      expectedPercent: null,
      status: 'no-target',
    });
    expect(progressOf(unknownStart, [state('region', 1.85)]).status).toBe('completed');
    expect(progressOf(unknownStart, [state('region', 2.2)], AFTER_DEADLINE).status).toBe('overdue');
  });

  it('stands at its baseline before anyone reports, is unknown without one, and an atMost sum waits for all four', () => {
    const p = progressOf(ratio, []);
    expect(p).toMatchObject({ value: 2.5, percent: 0 });
    expect(progressOf({ ...ratio, baseline: null }, [])).toMatchObject({ value: null, status: 'no-target' });
    const summedDown = { ...ratio, combine: 'sum' as const };
    expect(progressOf(summedDown, [state('jiangsu', 0.1)])).toMatchObject({ value: null, percent: null });
  });
});

describe('a region metric with a baseline', () => {
  it('measures the one figure from the baseline (78 to 113)', () => {
    expect(progressOf(oneCard, [])).toMatchObject({ value: 78, percent: 0 });
    expect(progressOf(oneCard, [state('region', 95.5)])).toMatchObject({ value: 95.5, percent: 50 });
    expect(progressOf(oneCard, []).scopes.map((s) => s.scope)).toEqual(['region']);
  });
});

describe('an each metric', () => {
  it('averages the provinces, each capped at 100, and completes when all four reach it', () => {
    const p = progressOf(gifts, [state('shanghai', 45), state('jiangsu', 15), state('zhejiang', 30)]);
    expect(p.value).toBeNull();
    expect(p.percent).toBe(62.5);
    expect(p.status).toBe('on-track');
    expect(p.scopes.find((s) => s.scope === 'shanghai')).toMatchObject({ percent: 150, reached: true });
    const all = progressOf(
      gifts,
      ['shanghai', 'jiangsu', 'zhejiang', 'anhui'].map((s) => state(s as Scope, 30)),
    );
    expect(all.status).toBe('completed');
  });

  it('gives a province its own target when the list sets one', () => {
    const split = { ...gifts, provinceTargets: { anhui: 20 } };
    const p = progressOf(split, [state('anhui', 10)]);
    expect(p.scopes.find((s) => s.scope === 'anhui')).toMatchObject({ target: 20, percent: 50 });
    expect(p.scopes.find((s) => s.scope === 'jiangsu')).toMatchObject({ target: 30, percent: 0 });
  });
});

describe('reports overdue', () => {
  it('marks a scope silent for longer than the interval, counting from the start if it never reported', () => {
    const p = progressOf(km, [state('jiangsu', 10, '2024-06-20'), state('anhui', 10, '2024-05-01')]);
    const overdue = Object.fromEntries(p.scopes.map((s) => [s.scope, s.reportOverdue]));
    expect(overdue).toEqual({ shanghai: true, jiangsu: false, zhejiang: true, anhui: true });
  });

  it('marks nothing before the start', () => {
    const early = new Date('2023-12-20T04:00:00.000Z');
    expect(progressOf(km, [], early).scopes.some((s) => s.reportOverdue)).toBe(false);
  });
});

describe('a metric without a target', () => {
  it('is no-target and still shows its figure', () => {
    const open = { ...km, target: null };
    expect(progressOf(open, [state('jiangsu', 12)])).toMatchObject({
      value: 12,
      percent: null,
      status: 'no-target',
    });
  });
});
