import type { MetricName } from '../../functions/observability/metric-names.js';
import type { MetricDimensions, Metrics } from '../../functions/observability/metrics.js';

export interface RecordedMetric {
  name: MetricName;
  value: number;
  dimensions: MetricDimensions;
}

/** A `Metrics` that keeps what services record, for tests to compare with what happened. */
export const recordingMetrics = () => {
  const recorded: RecordedMetric[] = [];
  const metrics: Metrics = {
    add: (name, value = 1, dimensions = {}) => {
      recorded.push({ name, value, dimensions });
    },
  };
  /** Each metric's recorded values summed: metrics never recorded are absent. */
  const totals = (): Partial<Record<MetricName, number>> => {
    const sums: Partial<Record<MetricName, number>> = {};
    for (const { name, value } of recorded) sums[name] = (sums[name] ?? 0) + value;
    return sums;
  };
  return { metrics, recorded, totals };
};
