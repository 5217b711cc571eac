import { describe, expect, it } from 'vitest';
import { computeProgress, type RegionAggregate } from '../../../functions/domain/progress.js';
import type { Project } from '../../../functions/domain/project.js';
import type { Province } from '../../../functions/domain/provinces.js';
import {
  cardOrder,
  meterFor,
  projectTone,
  provinceRows,
  provinceTone,
  regionModel,
  statusCounts,
} from '../../../web/src/progress-model.js';
import { MID_2024, projectFixture, provinceState } from '../../support/fixtures.js';

/** Progress as the API computes it, for these provinces' current values. */
const progressOf = (project: Project, values: Partial<Record<Province, number>>, now = MID_2024) => {
  const region: RegionAggregate = {
    total: Object.values(values).reduce((a, b) => a + b, 0),
    provinceValues: values,
    version: 1,
    updatedAt: now.toISOString(),
  };
  const states = Object.entries(values).map(([province, value]) =>
    provinceState(province as Province, value, '2024-06-27', { lastReportedAt: '2024-06-27T02:00:00.000Z' }),
  );
  return computeProgress(project, region, states, now);
};

describe('the region’s bar', () => {
  it('shows a sum project’s total against its target, with the planned pace', () => {
    const rail = projectFixture('rail-2024');
    const region = regionModel(rail, progressOf(rail, { jiangsu: 210 }), 'zh-CN');

    expect(region).toMatchObject({
      label: '区域合计',
      headline: '210公里',
      ofTargetText: '660公里',
      percentText: '31.8%',
      targetText: '目标 660公里',
      overText: null,
    });
    expect(region.meter).toMatchObject({
      fill: 31.82,
      percentText: '31.8%',
      over: false,
      valueNow: 31.8,
      valueMax: 100,
      valueText: '区域合计：210公里 / 660公里，31.8%',
    });
    expect(region.meter?.planned).toBeCloseTo(49.5, 0);
  });

  it('is full but says 120 % when a minimum target is exceeded, keeping 以上 / at least', () => {
    const windows = projectFixture('virtual-windows-2024');
    const progress = progressOf(windows, { shanghai: 80, jiangsu: 70, zhejiang: 60, anhui: 30 });

    const zh = regionModel(windows, progress, 'zh-CN');
    expect(zh.meter).toMatchObject({
      fill: 100,
      percent: 120,
      percentText: '120%',
      over: true,
      valueNow: 120,
    });
    expect(zh.meter?.valueMax).toBe(120);
    expect(zh.targetText).toBe('目标 200个以上');
    expect(zh.ofTargetText).toBe('200个以上');
    expect(zh.overText).toBe('超出目标 20%');
    expect(regionModel(windows, progress, 'en')).toMatchObject({
      ofTargetText: 'at least 200 sites',
      targetText: 'Target: at least 200 sites',
      overText: '20% above target',
    });
  });

  it('shows an each project’s mean of the capped provincial percentages, and its rule', () => {
    const insurance = projectFixture('medical-insurance-2024');
    const region = regionModel(
      insurance,
      progressOf(insurance, { shanghai: 12, jiangsu: 24, zhejiang: 6, anhui: 0 }),
      'en',
    );

    expect(region.label).toBe('Region average');
    expect(region.headline).toBe('62.5%');
    // The headline is the percentage already, and the target is each province's, not the region's.
    expect(region).toMatchObject({ ofTargetText: null, percentText: null });
    expect(region.meter?.valueText).toBe('Region average: 62.5%');
    expect(region.ruleText).toContain('Each province must reach 12 items');
  });

  it('has no bar when no target is set, only the total', () => {
    const care = projectFixture('elderly-care-2024');
    const region = regionModel(care, progressOf(care, { anhui: 3 }), 'zh-CN');
    expect(region).toMatchObject({
      headline: '3',
      ofTargetText: null,
      percentText: null,
      targetText: '未设目标',
      meter: null,
      plannedText: null,
    });
  });
});

describe('the provinces’ bars', () => {
  it('measure each province of an each project against the target, uncapped in words', () => {
    const insurance = projectFixture('medical-insurance-2024');
    const rows = provinceRows(insurance, progressOf(insurance, { shanghai: 12, jiangsu: 15 }), 'zh-CN');

    expect(rows.map((row) => row.basis)).toEqual(['target', 'target', 'target', 'target']);
    expect(rows[1]).toMatchObject({ name: '江苏省', figureText: '15 / 12项' });
    expect(rows[1]?.meter).toMatchObject({ fill: 100, percentText: '125%', over: true });
    expect(rows[2]?.meter).toMatchObject({ fill: 0, percentText: '0%' });
    expect(rows.map((row) => provinceTone(row.meter))).toEqual([
      'completed',
      'completed',
      'neutral',
      'neutral',
    ]);
  });

  it('measure a sum project’s provinces against their own targets when the coordinator set them', () => {
    const care = projectFixture('elderly-care-2024', {
      target: 100,
      provinceTargets: { shanghai: 25, jiangsu: 25, zhejiang: 25, anhui: 25 },
    });
    const rows = provinceRows(care, progressOf(care, { shanghai: 20 }), 'en');
    expect(rows[0]).toMatchObject({ basis: 'target', figureText: '20 of 25' });
    expect(rows[0]?.meter?.percentText).toBe('80%');
  });

  it('otherwise show each province’s share of the region total', () => {
    const rail = projectFixture('rail-2024');
    const rows = provinceRows(rail, progressOf(rail, { jiangsu: 150, zhejiang: 50 }), 'zh-CN');
    expect(rows.map((row) => row.basis)).toEqual(['share', 'share', 'share', 'share']);
    expect(rows[1]).toMatchObject({ valueText: '150公里', figureText: '占区域合计 75%' });
    expect(rows[1]?.meter?.valueText).toBe('江苏省：150公里，占区域合计 75%');
    expect(rows.map((row) => provinceTone(row.meter))).toEqual(['neutral', 'neutral', 'neutral', 'neutral']);
  });

  it('draw no share bars while the region total is still zero', () => {
    const rail = projectFixture('rail-2024');
    const rows = provinceRows(rail, progressOf(rail, {}), 'en');
    expect(rows.every((row) => row.basis === 'none' && row.meter === null)).toBe(true);
    expect(rows.map((row) => provinceTone(row.meter))).toEqual(['neutral', 'neutral', 'neutral', 'neutral']);
    expect(rows[0]?.valueText).toBe('0 km');
  });

  it('tell when each province last reported, how long ago, and whether a report is overdue', () => {
    const rail = projectFixture('rail-2024');
    const lateInYear = new Date('2024-09-01T04:00:00.000Z');
    const rows = provinceRows(rail, progressOf(rail, { jiangsu: 210 }, lateInYear), 'zh-CN');

    expect(rows[1]?.lastReport).toEqual({
      asOfText: '截至 2024年6月27日',
      agoText: '66天前报送',
      overdue: true,
      overdueText: '逾期未报',
    });
    expect(rows[0]?.lastReport).toMatchObject({ asOfText: null, agoText: null, overdue: true });
  });
});

describe('meterFor', () => {
  it('never reports a value below zero or above its own maximum to assistive technology', () => {
    expect(meterFor(-3, 'x', null, 'en')).toMatchObject({ fill: 0, valueNow: 0, valueMax: 100 });
    expect(meterFor(250.04, 'x', 120, 'en')).toMatchObject({
      fill: 100,
      valueNow: 250,
      valueMax: 250,
      planned: 100,
    });
  });
});

describe('statusCounts', () => {
  it('counts the projects per status, the most urgent first, leaving out empty ones', () => {
    const counts = statusCounts([{ status: 'on-track' }, { status: 'overdue' }, { status: 'on-track' }]);
    expect(counts).toEqual([
      { status: 'overdue', count: 1 },
      { status: 'on-track', count: 2 },
    ]);
  });
});

describe('tones', () => {
  it('colour a project by its status', () => {
    expect(projectTone({ status: 'overdue' })).toBe('overdue');
    expect(projectTone({ status: 'no-target' })).toBe('no-target');
  });

  it('colour a province’s bar as completed from 100 %, neutral below it or without a bar', () => {
    expect(provinceTone({ percent: 99.9 })).toBe('neutral');
    expect(provinceTone({ percent: 100 })).toBe('completed');
    expect(provinceTone({ percent: 125 })).toBe('completed');
    expect(provinceTone(null)).toBe('neutral');
  });
});

describe('cardOrder', () => {
  it('puts the projects without a target last, keeping the API’s order otherwise', () => {
    const entry = (id: string, target: number | null) => ({ id, project: { target } });
    const order = cardOrder([entry('a', null), entry('b', 5), entry('c', null), entry('d', 7)]);
    expect(order.map((e) => e.id)).toEqual(['b', 'd', 'a', 'c']);
  });
});
