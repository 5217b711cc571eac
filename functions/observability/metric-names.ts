/**
 * The product's CloudWatch metrics, named once: the functions emit them (Embedded Metric Format,
 * functions/observability/metrics.ts) and the stack's alarms and dashboard read them by these names.
 * Every metric has the dimension `stage`; a few add one dimension of low cardinality (see
 * METRIC_DIMENSIONS). No ids of reports, events or subscriptions ever become dimensions.
 */
export const METRIC_NAMESPACE = 'LivelihoodTracker';

/** The dimension every metric carries. */
export const STAGE_DIMENSION = 'stage';

export const METRIC = {
  /** A report recorded (new milestone, backfill or correction), also per `projectId`. */
  reportsRecorded: 'ReportsRecorded',
  /** A report that lowered a value, with its reason. */
  corrections: 'Corrections',
  /** A request answered from its idempotency record instead of being executed again. */
  idempotentReplays: 'IdempotentReplays',
  /** A report's transaction that lost a race and was read and decided again. */
  concurrencyRetries: 'ConcurrencyRetries',
  /** Events the publisher put on the bus. */
  eventsPublished: 'EventsPublished',
  /** PutEvents entries refused or calls that failed (retried by the stream) and records set aside. */
  publishFailures: 'PublishFailures',
  /** Threshold events (25/50/75/100 %) published. */
  thresholdsReached: 'ThresholdsReached',
  /** Webhook attempts answered with 2xx. */
  deliveriesSucceeded: 'DeliveriesSucceeded',
  /** Webhook attempts that failed (non-2xx, timeout, refused address). */
  deliveriesFailed: 'DeliveriesFailed',
  /** Deliveries given up after their last attempt. */
  deliveriesDeadLettered: 'DeliveriesDeadLettered',
  /** Milliseconds from an event's time to its webhook's 2xx. */
  deliveryLatency: 'DeliveryLatency',
  /** Notices (overdue, stalled, …) the watchdog raised in a run. */
  watchdogNotices: 'WatchdogNotices',
  /** A watchdog run that finished (the alarm fires when none did for 26 hours). */
  watchdogRuns: 'WatchdogRuns',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** Extra dimensions a metric is also published under, besides `stage` alone. */
export const METRIC_DIMENSIONS: Readonly<Partial<Record<MetricName, readonly string[]>>> = {
  [METRIC.reportsRecorded]: ['projectId'],
};

/** CloudWatch units of the metrics that are not counts. */
export const METRIC_UNITS: Readonly<Partial<Record<MetricName, 'Milliseconds'>>> = {
  [METRIC.deliveryLatency]: 'Milliseconds',
};
