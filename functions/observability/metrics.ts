import {
  METRIC_DIMENSIONS,
  METRIC_NAMESPACE,
  METRIC_UNITS,
  type MetricName,
  STAGE_DIMENSION,
} from './metric-names.js';

/**
 * Values of the extra dimensions a metric declares in METRIC_DIMENSIONS (e.g. `projectId`).
 * Any other key is dropped: only that file decides which dimensions exist, so that no id of a
 * report, event or subscription can become one by accident.
 */
export type MetricDimensions = Readonly<Record<string, string>>;

/** What services record through; the handler's wrapper decides when it is written. */
export interface Metrics {
  /** Adds `value` (1 by default) to a count, or one measurement to a metric in milliseconds. */
  add(name: MetricName, value?: number, dimensions?: MetricDimensions): void;
}

/** For services whose caller does not look at metrics (most tests). */
export const noMetrics: Metrics = { add: () => undefined };

/** CloudWatch takes at most 100 values of one metric in one document (EMF specification). */
export const EMF_MAX_VALUES = 100;

interface Group {
  dimensions: Record<string, string>;
  counts: Map<MetricName, number>;
  measurements: Map<MetricName, number[]>;
}

/**
 * The metrics of one invocation, gathered until `documents()` turns them into Embedded Metric Format
 * documents: one per set of dimension values (all metrics with `stage` alone share one line).
 * Counts are summed; measurements (milliseconds) are kept as values, so percentiles stay right.
 */
export class MetricsBatch implements Metrics {
  private readonly groups = new Map<string, Group>();

  add(name: MetricName, value = 1, dimensions: MetricDimensions = {}): void {
    const declared = METRIC_DIMENSIONS[name] ?? [];
    const extra: Record<string, string> = {};
    for (const key of declared) {
      const given = dimensions[key];
      if (given !== undefined && given !== '') extra[key] = given;
    }
    const id = JSON.stringify(Object.entries(extra).sort(([a], [b]) => (a < b ? -1 : 1)));
    let group = this.groups.get(id);
    if (group === undefined) {
      group = { dimensions: extra, counts: new Map(), measurements: new Map() };
      this.groups.set(id, group);
    }
    if (METRIC_UNITS[name] === undefined) {
      group.counts.set(name, (group.counts.get(name) ?? 0) + value);
      return;
    }
    const values = group.measurements.get(name) ?? [];
    values.push(value);
    group.measurements.set(name, values);
  }

  get empty(): boolean {
    return this.groups.size === 0;
  }

  /** The EMF documents (one JSON object each), and the batch emptied. */
  documents(stage: string, at: Date): Record<string, unknown>[] {
    const documents = [...this.groups.values()].flatMap((group) => groupDocuments(group, stage, at));
    this.groups.clear();
    return documents;
  }
}

/** A group's documents: one, or more when a metric holds more values than one document may. */
const groupDocuments = (group: Group, stage: string, at: Date): Record<string, unknown>[] => {
  const extraKeys = Object.keys(group.dimensions).sort();
  const dimensionSets =
    extraKeys.length === 0 ? [[STAGE_DIMENSION]] : [[STAGE_DIMENSION], [STAGE_DIMENSION, ...extraKeys]];
  const documents: Record<string, unknown>[] = [];
  let counts: ReadonlyMap<MetricName, number> = group.counts;
  let pending = [...group.measurements];
  while (counts.size > 0 || pending.length > 0) {
    const values: Record<string, number | number[]> = Object.fromEntries(counts);
    for (const [name, all] of pending) values[name] = all.slice(0, EMF_MAX_VALUES);
    documents.push({
      _aws: {
        Timestamp: at.getTime(),
        CloudWatchMetrics: [
          {
            Namespace: METRIC_NAMESPACE,
            Dimensions: dimensionSets,
            Metrics: Object.keys(values).map((name) => ({
              Name: name,
              Unit: METRIC_UNITS[name as MetricName] ?? 'Count',
            })),
          },
        ],
      },
      [STAGE_DIMENSION]: stage,
      ...group.dimensions,
      ...values,
    });
    counts = new Map();
    pending = pending
      .map(([name, all]): [MetricName, number[]] => [name, all.slice(EMF_MAX_VALUES)])
      .filter(([, rest]) => rest.length > 0);
  }
  return documents;
};
