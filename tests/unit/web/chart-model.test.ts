import { describe, expect, it } from 'vitest';
import type { Milestone } from '../../../functions/domain/milestone.js';
import {
  chartGeometry,
  chartRows,
  chartSeries,
  monthTicks,
  niceTicks,
  provinceSeries,
  regionSeries,
  stepPath,
  valueOn,
} from '../../../web/src/chart-model.js';
import { projectFixture } from '../../support/fixtures.js';

type Entry = Pick<Milestone, 'province' | 'asOf' | 'value' | 'recordedAt'>;
const entry = (
  province: Entry['province'],
  asOf: string,
  value: number,
  recordedAt = `${asOf}T04:00:00Z`,
) => ({
  province,
  asOf,
  value,
  recordedAt,
});

describe('the history chart’s series', () => {
  it('keeps per date the value recorded last, so a same-day correction replaces what it corrects', () => {
    const history: Entry[] = [
      entry('jiangsu', '2024-06-30', 215, '2024-07-01T01:00:00Z'),
      entry('jiangsu', '2024-06-30', 210, '2024-07-02T01:00:00Z'),
      entry('jiangsu', '2024-03-31', 120, '2024-07-03T01:00:00Z'),
    ];
    expect(provinceSeries(history)).toEqual([
      {
        key: 'jiangsu',
        points: [
          { date: '2024-03-31', value: 120 },
          { date: '2024-06-30', value: 210 },
        ],
      },
    ]);
  });

  it('adds a region total for sum projects, each province holding its last value between reports', () => {
    const history = [
      entry('jiangsu', '2024-03-31', 100.1),
      entry('zhejiang', '2024-04-30', 50.2),
      entry('jiangsu', '2024-06-30', 210),
    ];
    const series = chartSeries(projectFixture('rail-2024'), history);

    expect(series.map((s) => s.key)).toEqual(['jiangsu', 'zhejiang', 'region']);
    expect(series[2]?.points).toEqual([
      { date: '2024-03-31', value: 100.1 },
      { date: '2024-04-30', value: 150.3 },
      { date: '2024-06-30', value: 260.2 },
    ]);
    expect(chartSeries(projectFixture('medical-insurance-2024'), history).map((s) => s.key)).toEqual([
      'jiangsu',
      'zhejiang',
    ]);
    expect(regionSeries([]).points).toEqual([]);
  });

  it('puts in the table exactly the points the chart marks', () => {
    const series = chartSeries(projectFixture('rail-2024'), [
      entry('jiangsu', '2024-03-31', 100),
      entry('anhui', '2024-04-30', 20),
    ]);
    expect(chartRows(series)).toEqual([
      { date: '2024-03-31', values: { jiangsu: 100, anhui: null, region: 100 } },
      { date: '2024-04-30', values: { jiangsu: null, anhui: 20, region: 120 } },
    ]);
  });

  it('reads a step function: zero before the first point, then the last value reached', () => {
    const points = [
      { date: '2024-03-31', value: 5 },
      { date: '2024-06-30', value: 9 },
    ];
    expect(valueOn(points, '2024-01-01')).toBe(0);
    expect(valueOn(points, '2024-05-01')).toBe(5);
    expect(valueOn(points, '2024-12-31')).toBe(9);
  });
});

describe('the history chart’s scales', () => {
  it('picks round ticks from zero to at least the maximum', () => {
    expect(niceTicks(693)).toEqual([0, 200, 400, 600, 800]);
    expect(niceTicks(12.6)).toEqual([0, 5, 10, 15]);
    expect(niceTicks(73_500)).toEqual([0, 20_000, 40_000, 60_000, 80_000]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });

  it('marks the first day of every n-th month', () => {
    expect(monthTicks('2024-01-01', '2024-12-31', 3)).toEqual([
      '2024-01-01',
      '2024-04-01',
      '2024-07-01',
      '2024-10-01',
    ]);
    expect(monthTicks('2024-02-15', '2024-05-31', 1)).toEqual(['2024-03-01', '2024-04-01', '2024-05-01']);
    expect(monthTicks('2024-11-01', '2025-02-28', 1)).toEqual([
      '2024-11-01',
      '2024-12-01',
      '2025-01-01',
      '2025-02-01',
    ]);
  });

  it('spans the project’s year, fits the target, and shows fewer months on a narrow screen', () => {
    const rail = projectFixture('rail-2024');
    const series = chartSeries(rail, [entry('jiangsu', '2024-06-30', 210)]);
    const input = { project: rail, series, today: '2026-11-29', labelWidth: () => 21 };
    const wide = chartGeometry({ ...input, width: 800 });
    const narrow = chartGeometry({ ...input, width: 300 });

    expect(wide).toMatchObject({ start: '2024-01-01', end: '2024-12-31', lineEnd: '2024-12-31', yMax: 800 });
    expect(wide.x('2024-01-01')).toBe(wide.plot.left);
    expect(wide.x('2024-12-31')).toBe(wide.plot.right);
    expect(wide.y(0)).toBe(wide.plot.bottom);
    expect(wide.xTicks).toHaveLength(12);
    expect(narrow.xTicks.length).toBeLessThan(6);
    expect(narrow.height).toBeGreaterThanOrEqual(220);
  });

  it('draws a cumulative value as steps that continue to today', () => {
    const g = {
      x: (date: string) => Number(date.slice(5, 7)) * 10,
      y: (value: number) => 100 - value,
      lineEnd: '2024-09-30',
    };
    const points = [
      { date: '2024-03-31', value: 10 },
      { date: '2024-06-30', value: 30 },
    ];
    expect(stepPath(points, g)).toBe('M30 90H60V70H90');
    expect(stepPath([], g)).toBe('');
  });
});
