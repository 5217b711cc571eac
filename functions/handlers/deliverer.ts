import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { SecretOpener } from '../crypto/secret-box.js';
import { secretBoxFromEnv } from '../crypto/secret-box-from-env.js';
import type { StoredSubscription } from '../domain/subscription.js';
import { DELIVERY_QUEUE, EVENT_ENV } from '../events/plumbing.js';
import { invocationMetrics, withMetrics } from '../observability/invocation-metrics.js';
import { type InvocationContext, invocationLogger, type Logger } from '../observability/logger.js';
import { METRIC } from '../observability/metric-names.js';
import { type Metrics, noMetrics } from '../observability/metrics.js';
import type { DeliveryMessage } from '../services/enqueue-deliveries.js';
import { lazy } from '../shared/lazy.js';
import { createDocumentClient, tableNameFromEnv } from '../storage/client.js';
import { SubscriptionRepository } from '../storage/subscription-repository.js';
import { allowedWebhookPortsFromEnv } from '../webhooks/address-policy.js';
import { type SendResult, type SendWebhookInput, sendWebhook } from '../webhooks/sender.js';
import { sign, webhookHeaders } from '../webhooks/signature.js';
import { openSigningSecrets } from '../webhooks/signing-secrets.js';

/** SQS refuses a visibility timeout beyond 12 hours. */
/**
 * SQS refuses to hide a message for more than 12 hours after it was received; the deliverer sets
 * the delay seconds after receiving, so it keeps five minutes in hand.
 */
const MAX_VISIBILITY_SECONDS = 12 * 60 * 60 - 5 * 60;

export interface DelivererDependencies {
  subscriptions: SubscriptionRepository;
  /** Opens the stored signing secrets: the only function that may. */
  secrets: SecretOpener;
  sqs: SQSClient;
  queueUrl: string;
  now: () => Date;
  allowLocalhost: boolean;
  /** Ports besides 443 and 80 a webhook may use outside the local stage. */
  allowedWebhookPorts?: readonly number[];
  /** Multiplies the retry delays; 1 in AWS. */
  retryDelayScale?: number;
  send?: (input: SendWebhookInput) => ReturnType<typeof sendWebhook>;
  /** Attempts succeeded and failed, deliveries given up, and the time from event to 2xx. */
  metrics?: Metrics;
  log?: Logger;
}

/**
 * The ids of one delivery on every line about it: the queue message (`deliveryId`), the
 * subscription, the event and the correlation id of the report (or watchdog run) behind it.
 * The subscriber's URL is not among them: a webhook URL may hold a token in its path.
 */
export const deliveryLogFields = (record: SQSRecord, message: DeliveryMessage) => ({
  deliveryId: record.messageId,
  subscriptionId: message.subscriptionId,
  eventId: message.event.detail.eventId,
  detailType: message.event.detailType,
  projectId: message.event.detail.projectId,
  correlationId: message.event.detail.correlationId,
});

/** The Standard Webhooks payload: what the subscriber receives and what is signed. */
export const webhookBody = (message: DeliveryMessage): string =>
  JSON.stringify({
    type: message.event.detailType,
    timestamp: message.event.detail.occurredAt,
    data: message.event.detail,
  });

/** The wait before the next attempt: the schedule's, or the subscriber's Retry-After if longer. */
export const retryDelaySeconds = (
  receiveCount: number,
  retryAfterSeconds: number | undefined,
  scale: number,
): number => {
  const delays = DELIVERY_QUEUE.retryDelaysSeconds;
  const scheduled = (delays[Math.min(receiveCount, delays.length) - 1] ?? delays[0] ?? 60) * scale;
  return Math.min(MAX_VISIBILITY_SECONDS, Math.max(scheduled, retryAfterSeconds ?? 0));
};

/** An attempt's outcome; a 410 is a failed attempt too (the subscriber's end is gone). */
const countAttempt = (metrics: Metrics, result: SendResult, sinceEventMs: number): void => {
  if (result.kind !== 'delivered') {
    metrics.add(METRIC.deliveriesFailed);
    return;
  }
  metrics.add(METRIC.deliveriesSucceeded);
  metrics.add(METRIC.deliveryLatency, Math.max(0, sinceEventMs));
};

/**
 * Posts each queued delivery to its subscriber. 2xx is done; 410 disables the subscription;
 * anything else waits (growing delays, honouring Retry-After) for the next attempt, and after
 * the last one SQS moves the message to the dead-letter queue and the log says so.
 */
export const createDeliverer = (deps: DelivererDependencies) => {
  const send = deps.send ?? sendWebhook;
  const scale = deps.retryDelayScale ?? 1;
  const metrics = deps.metrics ?? noMetrics;

  const deliverOne = async (
    record: SQSRecord,
    message: DeliveryMessage,
    subscriptionsById: Map<string, Promise<StoredSubscription | null>>,
    log: Logger,
  ): Promise<'done' | 'retry'> => {
    const { eventId, occurredAt } = message.event.detail;
    const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1');
    let lookup = subscriptionsById.get(message.subscriptionId);
    if (!lookup) {
      lookup = deps.subscriptions.get(message.subscriptionId);
      subscriptionsById.set(message.subscriptionId, lookup);
    }
    const subscription = await lookup;
    if (subscription?.status !== 'active') {
      const reason = subscription ? `subscription is ${subscription.status}` : 'subscription was deleted';
      await deps.subscriptions.dropDelivery(message.subscriptionId, occurredAt, eventId, reason, deps.now());
      log.info('delivery dropped', { reason });
      return 'done';
    }

    // Opened before the attempt is taken: when KMS cannot answer, no lease is left to run out
    // before the next try. During a rotation both secrets sign; a receiver holding either verifies.
    const signedAt = deps.now();
    const secrets = await openSigningSecrets(subscription, deps.secrets, signedAt);

    const leaseSeconds = Math.ceil(DELIVERY_QUEUE.requestTimeoutMs / 1000) * 3;
    const begun = await deps.subscriptions.beginAttempt(
      subscription.id,
      occurredAt,
      eventId,
      deps.now(),
      leaseSeconds,
    );
    // Another copy is being sent right now: look again after the visibility timeout.
    if (begun === 'busy') {
      log.info('delivery being sent by another copy; looking again later');
      return 'retry';
    }
    if (begun === 'finished') return 'done';

    const body = webhookBody(message);
    const timestamp = Math.floor(signedAt.getTime() / 1000);
    const headers = webhookHeaders({
      id: eventId,
      timestamp,
      signature: secrets.map((secret) => sign({ secret, id: eventId, timestamp, body })),
    });
    const started = Date.now();
    const result = await send({
      url: subscription.url,
      headers,
      body,
      allowLocalhost: deps.allowLocalhost,
      allowedPorts: deps.allowedWebhookPorts,
    });
    const now = deps.now();
    countAttempt(metrics, result, now.getTime() - Date.parse(occurredAt));
    const attempt = { attempt: receiveCount, status: result.status, ms: Date.now() - started };

    if (result.kind === 'delivered') {
      await deps.subscriptions.finishAttempt(
        subscription.id,
        occurredAt,
        eventId,
        { status: 'delivered', lastStatus: result.status, lastError: null, nextRetryAt: null },
        now,
      );
      log.info('webhook delivered', attempt);
      return 'done';
    }
    if (result.kind === 'gone') {
      await deps.subscriptions.disable(subscription.id, 'the subscriber answered 410 Gone', now);
      await deps.subscriptions.finishAttempt(
        subscription.id,
        occurredAt,
        eventId,
        {
          status: 'dropped',
          lastStatus: result.status,
          lastError: '410 Gone: subscription disabled',
          nextRetryAt: null,
        },
        now,
      );
      log.warn('subscriber answered 410 Gone: subscription disabled', attempt);
      return 'done';
    }

    const lastAttempt = receiveCount >= DELIVERY_QUEUE.maxReceiveCount;
    if (lastAttempt) metrics.add(METRIC.deliveriesDeadLettered);
    const delay = lastAttempt ? 0 : retryDelaySeconds(receiveCount, result.retryAfterSeconds, scale);
    await deps.subscriptions.finishAttempt(
      subscription.id,
      occurredAt,
      eventId,
      lastAttempt
        ? {
            status: 'dead-lettered',
            lastStatus: result.status ?? null,
            lastError: `${result.error}; gave up after ${receiveCount} attempts, moved to the dead-letter queue`,
            nextRetryAt: null,
          }
        : {
            status: 'retrying',
            lastStatus: result.status ?? null,
            lastError: result.error,
            nextRetryAt: new Date(now.getTime() + delay * 1000).toISOString(),
          },
      now,
    );
    if (lastAttempt) {
      log.error('webhook attempt failed; delivery dead-lettered', { ...attempt, error: result.error });
    } else {
      log.warn('webhook attempt failed; retrying', {
        ...attempt,
        error: result.error,
        retryInSeconds: delay,
      });
    }
    await deps.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: deps.queueUrl,
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: Math.round(delay),
      }),
    );
    return 'retry';
  };

  return async (event: SQSEvent, context?: InvocationContext): Promise<SQSBatchResponse> => {
    const subscriptionsById = new Map<string, Promise<StoredSubscription | null>>();
    const invocationLog = invocationLogger(deps.log, context);
    const outcomes = await Promise.all(
      event.Records.map(async (record) => {
        let log = invocationLog.child({ deliveryId: record.messageId });
        try {
          const message = JSON.parse(record.body) as DeliveryMessage;
          log = invocationLog.child(deliveryLogFields(record, message));
          return { record, outcome: await deliverOne(record, message, subscriptionsById, log) };
        } catch (error) {
          log.error('delivery failed', { error: String(error) });
          return { record, outcome: 'retry' as const };
        }
      }),
    );
    return {
      batchItemFailures: outcomes
        .filter((o) => o.outcome === 'retry')
        .map((o) => ({ itemIdentifier: o.record.messageId })),
    };
  };
};

export const handler: (event: SQSEvent, context?: InvocationContext) => Promise<SQSBatchResponse> =
  withMetrics(
    lazy(() =>
      createDeliverer({
        subscriptions: new SubscriptionRepository({
          db: createDocumentClient(),
          tableName: tableNameFromEnv(),
        }),
        secrets: secretBoxFromEnv(),
        sqs: new SQSClient({}),
        queueUrl: process.env[EVENT_ENV.deliveryQueueUrl] ?? '',
        now: () => new Date(),
        allowLocalhost: process.env[EVENT_ENV.allowLocalWebhooks] === 'true',
        allowedWebhookPorts: allowedWebhookPortsFromEnv(),
        retryDelayScale: Number(process.env[EVENT_ENV.retryDelayScale] ?? '1') || 1,
        metrics: invocationMetrics,
      }),
    ),
  );
