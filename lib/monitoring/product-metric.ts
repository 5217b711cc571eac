import type { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import {
  METRIC_NAMESPACE,
  type MetricName,
  STAGE_DIMENSION,
} from '../../functions/observability/metric-names.js';
import type { StageName } from '../stage-config.js';

/**
 * One of the product's own metrics (functions/observability/metric-names.ts) for a stage, under
 * the `stage` dimension alone: what the alarms and the dashboard read.
 */
export const productMetric = (
  stage: StageName,
  name: MetricName,
  options: { statistic: string; period: Duration; label?: string },
): cloudwatch.Metric =>
  new cloudwatch.Metric({
    namespace: METRIC_NAMESPACE,
    metricName: name,
    dimensionsMap: { [STAGE_DIMENSION]: stage },
    ...options,
  });
