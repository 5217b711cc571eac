/**
 * The history chart as numbers, free of the DOM: one step line per province (a cumulative value
 * holds until the next report), the region total for `sum` projects, scales, ticks and the rows
 * of the table that carries the same data for readers who cannot see the chart.
 */
import { type CalendarDate, daysBetween } from '../../functions/domain/calendar.js';
import { sumValues } from '../../functions/domain/decimal.js';
import type { Milestone } from '../../functions/domain/milestone.js';
import type { Project } from '../../functions/domain/project.js';
import { PROVINCES, type Province } from '../../functions/domain/provinces.js';

export interface SeriesPoint {
  date: CalendarDate;
  value: number;
}

export type SeriesKey = Province | 'region';

export interface ChartSeries {
  key: SeriesKey;
  points: SeriesPoint[];
}

type HistoryEntry = Pick<Milestone, 'province' | 'asOf' | 'value' | 'recordedAt'>;

/**
 * Per province, ascending by as-of date: for each date the value recorded last for it, so a
 * correction of the same date replaces what it corrects, and a backfill fills in its own date.
 */
export const provinceSeries = (milestones: readonly HistoryEntry[]): ChartSeries[] =>
  PROVINCES.map((province) => {
    const byDate = new Map<CalendarDate, { value: number; recordedAt: string }>();
    for (const m of milestones) {
      if (m.province !== province) continue;
      const seen = byDate.get(m.asOf);
      if (!seen || m.recordedAt > seen.recordedAt)
        byDate.set(m.asOf, { value: m.value, recordedAt: m.recordedAt });
    }
    const points = [...byDate.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([date, { value }]) => ({ date, value }));
    return { key: province, points };
  }).filter((series) => series.points.length > 0);

/** A step function's value on a date: the last point at or before it (0 before the first). */
export const valueOn = (points: readonly SeriesPoint[], date: CalendarDate): number => {
  let value = 0;
  for (const point of points) {
    if (point.date > date) break;
    value = point.value;
  }
  return value;
};

const allDates = (series: readonly ChartSeries[]): CalendarDate[] =>
  [...new Set(series.flatMap((s) => s.points.map((p) => p.date)))].sort();

/** The region total at every date any province reported, each province holding its last value. */
export const regionSeries = (provinces: readonly ChartSeries[]): ChartSeries => ({
  key: 'region',
  points: allDates(provinces).map((date) => ({
    date,
    value: sumValues(provinces.map((series) => valueOn(series.points, date))),
  })),
});

/** The series to draw: the provinces, and for `sum` projects their total, which the target is about. */
export const chartSeries = (project: Pick<Project, 'aggregation'>, milestones: readonly HistoryEntry[]) => {
  const provinces = provinceSeries(milestones);
  return project.aggregation === 'sum' && provinces.length > 0
    ? [...provinces, regionSeries(provinces)]
    : provinces;
};

export interface ChartRow {
  date: CalendarDate;
  /** What was reported on that date (null: no report that day); the region total is carried. */
  values: Partial<Record<SeriesKey, number | null>>;
}

/** The chart's data as table rows, oldest first: exactly the points the chart marks. */
export const chartRows = (series: readonly ChartSeries[]): ChartRow[] =>
  allDates(series).map((date) => ({
    date,
    values: Object.fromEntries(
      series.map((s) => [s.key, s.points.find((p) => p.date === date)?.value ?? null]),
    ) as ChartRow['values'],
  }));

/** Round steps (1, 2, 2.5, 5 × 10ⁿ) from 0 to at least `max`, about `count` of them. */
export const niceTicks = (max: number, count = 5): number[] => {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= rough) ?? 10) * magnitude;
  const top = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; i * step <= top + step / 2; i++) ticks.push(Math.round(i * step * 1e6) / 1e6);
  return ticks;
};

const addMonths = (date: CalendarDate, months: number): CalendarDate => {
  const [y = 0, m = 1] = date.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
};

/** The first day of every `step`-th month from the month after `start` (or `start` itself if a 1st) to `end`. */
export const monthTicks = (start: CalendarDate, end: CalendarDate, step: number): CalendarDate[] => {
  const ticks: CalendarDate[] = [];
  let month = start.endsWith('-01') ? start : addMonths(start, 1);
  while (month <= end) {
    ticks.push(month);
    month = addMonths(month, step);
  }
  return ticks;
};

export interface ChartGeometry {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  start: CalendarDate;
  end: CalendarDate;
  /** Where the lines stop: today, within the chart's span. */
  lineEnd: CalendarDate;
  yMax: number;
  x: (date: CalendarDate) => number;
  y: (value: number) => number;
  xTicks: CalendarDate[];
  yTicks: number[];
}

export interface GeometryInput {
  project: Pick<Project, 'startDate' | 'deadline' | 'target'>;
  series: readonly ChartSeries[];
  today: CalendarDate;
  width: number;
  /** Width in pixels of a y-axis label, to size the left margin. */
  labelWidth: (value: number) => number;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** Scales and ticks for a chart `width` pixels wide, from the project's start to its deadline. */
export const chartGeometry = ({
  project,
  series,
  today,
  width,
  labelWidth,
}: GeometryInput): ChartGeometry => {
  const height = Math.round(Math.min(360, Math.max(220, width * 0.5)));
  const start = project.startDate;
  // ISO dates sort as text: the span ends at the deadline or at a later report, the lines at today.
  const dates = [project.deadline, ...series.flatMap((s) => s.points.map((p) => p.date))].sort();
  const end = dates[dates.length - 1] ?? project.deadline;
  const lineEnd = [start, today, end].sort()[1] ?? end;
  const maxValue = Math.max(project.target ?? 0, ...series.flatMap((s) => s.points.map((p) => p.value)));
  const yTicks = niceTicks(maxValue * 1.05, width < 480 ? 4 : 5);
  const yMax = yTicks[yTicks.length - 1] ?? 1;
  const left = Math.ceil(Math.max(...yTicks.map(labelWidth)) + 14);
  const plot = { left, top: 16, right: width - 16, bottom: height - 32 };
  const span = Math.max(1, daysBetween(start, end));
  const x = (date: CalendarDate) =>
    round1(plot.left + (daysBetween(start, date) / span) * (plot.right - plot.left));
  const y = (value: number) => round1(plot.bottom - (value / yMax) * (plot.bottom - plot.top));
  const months = Math.max(1, Math.round(span / 30.4));
  const room = Math.max(1, Math.floor((plot.right - plot.left) / 44));
  const step = [1, 2, 3, 4, 6, 12].find((s) => months / s <= room) ?? Math.ceil(months / room);
  return {
    width,
    height,
    plot,
    start,
    end,
    lineEnd,
    yMax,
    x,
    y,
    xTicks: monthTicks(start, end, step),
    yTicks,
  };
};

/**
 * An SVG path for a cumulative value: flat until the next report, then up (or down, for a
 * correction), continuing flat to `lineEnd`.
 */
export const stepPath = (
  points: readonly SeriesPoint[],
  g: Pick<ChartGeometry, 'x' | 'y' | 'lineEnd'>,
): string => {
  const first = points[0];
  if (!first) return '';
  let path = `M${g.x(first.date)} ${g.y(first.value)}`;
  for (const point of points.slice(1)) path += `H${g.x(point.date)}V${g.y(point.value)}`;
  const last = points[points.length - 1] ?? first;
  if (g.lineEnd > last.date) path += `H${g.x(g.lineEnd)}`;
  return path;
};
