/**
 * The one table `npm run bench` prints: every case reports rows of this shape, so that a reader
 * finds each figure, what it is compared with, the ratio and the goal in the same columns.
 */

/** A goal on the ratio (`atMost`: lower is better, `atLeast`: higher is better) or on the value itself. */
export type BenchGoal =
  | { kind: 'ratioAtMost'; limit: number }
  | { kind: 'ratioAtLeast'; limit: number }
  | { kind: 'valueAtMost'; limit: number };

export interface BenchRow {
  /** The case, as named in BENCH_ONLY: cold-start, write-path, read-path, local-api, event-latency. */
  case: string;
  /** What was measured: a function, a route, a path. */
  subject: string;
  /** Which figure: "bundle", "init", "per request", "throughput", "p50", … */
  measure: string;
  unit: string;
  value: number;
  /** The baseline measured in the same run; null where the goal is on the value itself. */
  baseline: number | null;
  /** value / baseline, to hundredths (null without a baseline). */
  ratio: number | null;
  goal: BenchGoal | null;
}

/** Whether a row meets its goal; null when it has none. */
export const meetsGoal = (row: BenchRow): boolean | null => {
  const { goal } = row;
  if (goal === null) return null;
  switch (goal.kind) {
    case 'ratioAtMost':
      return row.ratio !== null && row.ratio <= goal.limit;
    case 'ratioAtLeast':
      return row.ratio !== null && row.ratio >= goal.limit;
    case 'valueAtMost':
      return row.value <= goal.limit;
  }
};

const goalText = (goal: BenchGoal | null): string => {
  if (goal === null) return '';
  switch (goal.kind) {
    case 'ratioAtMost':
      return `≤ ${goal.limit.toFixed(2)}×`;
    case 'ratioAtLeast':
      return `≥ ${goal.limit.toFixed(2)}×`;
    case 'valueAtMost':
      return `≤ ${goal.limit}`;
  }
};

const figure = (value: number, unit: string): string =>
  `${Number.isInteger(value) ? value : value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)} ${unit}`;

/** The rows as one Markdown table, so that it can be pasted into the README as printed. */
export const summaryTable = (rows: readonly BenchRow[]): string => {
  const lines = [
    '| case | subject | measure | value | baseline | ratio | goal | met |',
    '|---|---|---|---:|---:|---:|---|:-:|',
    ...rows.map((row) => {
      const met = meetsGoal(row);
      return [
        row.case,
        row.subject,
        row.measure,
        figure(row.value, row.unit),
        row.baseline === null ? '' : figure(row.baseline, row.unit),
        row.ratio === null ? '' : `${row.ratio.toFixed(2)}×`,
        goalText(row.goal),
        met === null ? '' : met ? 'yes' : '**no**',
      ]
        .join(' | ')
        .replace(/^/, '| ')
        .concat(' |');
    }),
  ];
  return lines.join('\n');
};
