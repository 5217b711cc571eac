import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { DETAIL_TYPES, type DomainEvent } from '../events/catalogue.js';
import { publishableEventsFromRecord } from '../events/from-stream.js';
import { EVENT_ENV } from '../events/plumbing.js';
import { type PutOutcome, putEvents } from '../events/put-events.js';
import { UnpublishableRecordQueue, type UnpublishableRecords } from '../events/unpublishable-records.js';
import { invocationMetrics, withMetrics } from '../observability/invocation-metrics.js';
import { type InvocationContext, invocationLogger, type Logger } from '../observability/logger.js';
import { METRIC } from '../observability/metric-names.js';
import { type Metrics, noMetrics } from '../observability/metrics.js';
import { lazy } from '../shared/lazy.js';
import { createDocumentClient, tableNameFromEnv } from '../storage/client.js';
import { EventRepository, type ThresholdClaim } from '../storage/event-repository.js';

export interface StreamPublisherDependencies {
  events: EventRepository;
  bus: EventBridgeClient;
  busName: string;
  /** The stream failure queue: records that can never become a valid event go there, content and all. */
  unpublishable: UnpublishableRecords;
  maxPutAttempts?: number;
  backoff?: (attempt: number) => Promise<void>;
  log?: Logger;
  /** Events published, thresholds among them, and publish failures. */
  metrics?: Metrics;
}

/** A record of the batch, its events to publish, and why it can never be published, if so. */
interface RecordPlan {
  record: DynamoDBRecord;
  sequenceNumber: string;
  events: DomainEvent[];
  unpublishable?: string;
}

/**
 * The outbox relay: what the table committed becomes events on the bus, and nothing else.
 * Records are handled in stream order. The first record whose events could not be put for a
 * reason that may pass (an outage, throttling, a missing permission) is reported as a batch item
 * failure, so Lambda retries from it, for as long as the record is in the stream, and no event is
 * skipped. A record before it that can never become a valid event is sent to the stream failure
 * queue with its content instead, so that it does not hold the shard.
 */
export const createStreamPublisher =
  (deps: StreamPublisherDependencies) =>
  async (input: DynamoDBStreamEvent, context?: InvocationContext): Promise<DynamoDBBatchResponse> => {
    const log = invocationLogger(deps.log, context);
    const metrics = deps.metrics ?? noMetrics;
    const plans: RecordPlan[] = [];
    const seen = new Set<string>();
    const announcement = thresholdAnnouncements(deps.events);

    for (const record of input.Records) {
      const plan: RecordPlan = { record, sequenceNumber: sequenceOf(record), events: [] };
      plans.push(plan);
      const read = publishableEventsFromRecord(record);
      if ('unpublishable' in read) {
        plan.unpublishable = read.unpublishable;
        continue;
      }
      for (const event of read.events) {
        let toPublish = event;
        if (event.detailType === DETAIL_TYPES.progressThresholdReached) {
          const detail = await announcement(event.detail as ThresholdDetail);
          if (detail === null) continue;
          toPublish = { detailType: DETAIL_TYPES.progressThresholdReached, detail };
        }
        if (seen.has(toPublish.detail.eventId)) continue;
        seen.add(toPublish.detail.eventId);
        plan.events.push(toPublish);
      }
    }

    const all = plans.flatMap((plan) => plan.events);
    const outcome: PutOutcome =
      all.length === 0
        ? { published: [], failed: [] }
        : await putEvents(all, {
            bus: deps.bus,
            busName: deps.busName,
            ...(deps.maxPutAttempts === undefined ? {} : { maxAttempts: deps.maxPutAttempts }),
            ...(deps.backoff === undefined ? {} : { backoff: deps.backoff }),
          });

    countOutcome(metrics, outcome);
    if (outcome.published.length > 0) {
      await deps.events.logEvents(outcome.published);
      for (const event of outcome.published) {
        if (event.detailType === DETAIL_TYPES.progressThresholdReached) {
          await deps.events.markThresholdPublished(
            event.detail as DomainEvent<'ProgressThresholdReached'>['detail'],
          );
        }
      }
    }
    for (const event of outcome.published) {
      log.info('event published', eventLogFields(event));
    }
    for (const failure of outcome.failed) {
      log.error('event not published', {
        ...eventLogFields(failure.event),
        reason: failure.reason,
        permanent: failure.permanent,
      });
    }

    const firstFailed = await setAsideUnpublishable(plans, outcome.failed, deps.unpublishable, log, metrics);
    return { batchItemFailures: firstFailed ? [{ itemIdentifier: firstFailed.sequenceNumber }] : [] };
  };

/** Every event EventBridge took (thresholds counted apart too) and every one it did not. */
const countOutcome = (metrics: Metrics, outcome: PutOutcome): void => {
  const thresholds = outcome.published.filter(
    (event) => event.detailType === DETAIL_TYPES.progressThresholdReached,
  ).length;
  if (outcome.published.length > 0) metrics.add(METRIC.eventsPublished, outcome.published.length);
  if (thresholds > 0) metrics.add(METRIC.thresholdsReached, thresholds);
  if (outcome.failed.length > 0) metrics.add(METRIC.publishFailures, outcome.failed.length);
};

/** The ids of an event on its lines: the correlation id follows it to every delivery. */
const eventLogFields = (event: DomainEvent) => ({
  eventId: event.detail.eventId,
  detailType: event.detailType,
  projectId: event.detail.projectId,
  province: 'province' in event.detail ? event.detail.province : undefined,
  correlationId: event.detail.correlationId,
});

const sequenceOf = (record: DynamoDBRecord) => record.dynamodb?.SequenceNumber ?? record.eventID ?? '';

/**
 * Sends every record that can never be published, up to the first record that must be retried,
 * to the stream failure queue, and returns the record Lambda must retry from, if any: the first
 * with an event that failed for a passing reason, or the first whose sending failed. Records after
 * it are left alone: the retry hands them over again.
 */
const setAsideUnpublishable = async (
  plans: readonly RecordPlan[],
  failed: PutOutcome['failed'],
  queue: UnpublishableRecords,
  log: Logger,
  metrics: Metrics,
): Promise<RecordPlan | undefined> => {
  const failures = new Map(failed.map((failure) => [failure.event.detail.eventId, failure]));
  for (const plan of plans) {
    const planFailures = plan.events.flatMap((event) => failures.get(event.detail.eventId) ?? []);
    if (planFailures.some((failure) => !failure.permanent)) return plan;
    const reason =
      plan.unpublishable ??
      (planFailures.length > 0
        ? `EventBridge cannot take its event: ${planFailures.map((failure) => failure.reason).join('; ')}`
        : undefined);
    if (reason === undefined) continue;
    // A refused event was counted with the outcome; a record that is no event at all, here.
    if (plan.unpublishable !== undefined) metrics.add(METRIC.publishFailures);
    try {
      await queue.send(plan.record, reason);
    } catch (error) {
      log.error('unpublishable record not set aside; retrying it', {
        sequenceNumber: plan.sequenceNumber,
        reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      return plan;
    }
    log.error('record cannot become an event: sent with its content to the stream failure queue', {
      sequenceNumber: plan.sequenceNumber,
      eventID: plan.record.eventID,
      reason,
    });
  }
  return undefined;
};

type ThresholdDetail = DomainEvent<'ProgressThresholdReached'>['detail'];

/**
 * Which offered thresholds a batch publishes, and with what content: every change offers each
 * threshold the region stands past, and only one not yet published goes out — the first time it
 * is seen, or again with its first content after a failed attempt. The project's claims are read
 * once per batch (one Query), so that the thresholds long announced cost no write per report.
 */
const thresholdAnnouncements = (events: EventRepository) => {
  const claimsByProject = new Map<string, Promise<Map<number, ThresholdClaim>>>();
  return async (offered: ThresholdDetail): Promise<ThresholdDetail | null> => {
    let claims = claimsByProject.get(offered.projectId);
    if (claims === undefined) {
      claims = events.thresholdClaims(offered.projectId);
      claimsByProject.set(offered.projectId, claims);
    }
    const known = await claims;
    const claim = known.get(offered.threshold) ?? (await events.claimThreshold(offered));
    known.set(offered.threshold, claim);
    return claim.status === 'published' ? null : claim.detail;
  };
};

export const handler: (
  event: DynamoDBStreamEvent,
  context?: InvocationContext,
) => Promise<DynamoDBBatchResponse> = withMetrics(
  lazy(() =>
    createStreamPublisher({
      events: new EventRepository({ db: createDocumentClient(), tableName: tableNameFromEnv() }),
      bus: new EventBridgeClient({}),
      busName: process.env[EVENT_ENV.busName] ?? 'default',
      unpublishable: new UnpublishableRecordQueue({
        sqs: new SQSClient({}),
        queueUrl: process.env[EVENT_ENV.streamFailureQueueUrl] ?? '',
      }),
      metrics: invocationMetrics,
    }),
  ),
);
