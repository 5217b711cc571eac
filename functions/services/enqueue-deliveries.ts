import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Subscription } from '../domain/subscription.js';
import type { DomainEvent } from '../events/catalogue.js';
import { forEachBounded } from '../shared/for-each-bounded.js';
import { guardDatabase } from '../storage/dynamo-errors.js';
import type { SubscriptionRepository } from '../storage/subscription-repository.js';

/** One SQS message per (event, subscription): one subscriber's outage never holds up another. */
export interface DeliveryMessage {
  subscriptionId: string;
  event: DomainEvent;
}

export interface EnqueueDependencies {
  subscriptions: SubscriptionRepository;
  sqs: SQSClient;
  queueUrl: string;
  now: () => Date;
}

/** SendMessageBatch takes at most 10 messages. */
const BATCH_SIZE = 10;
/**
 * Batches in flight at once. One after the other, an event for a few thousand subscriptions
 * would outlast the notifier's timeout and be dead-lettered for every office; all at once, it
 * would open hundreds of database writes together and be throttled. Five batches of 10 keep
 * at most 50 database writes in flight.
 */
export const BATCHES_IN_FLIGHT = 5;

/**
 * Opens a delivery record per subscription and queues its message, in batches of 10, up to
 * BATCHES_IN_FLIGHT batches at a time. A repeated call for the same event queues nothing twice;
 * a call that failed half-way queues the rest when repeated.
 * Throws when a message could not be queued, so the caller (EventBridge) retries.
 */
export const enqueueDeliveries = async (
  deps: EnqueueDependencies,
  event: DomainEvent,
  targets: readonly Subscription[],
  options: { replay?: boolean } = {},
): Promise<number> => {
  const batches: Subscription[][] = [];
  for (let i = 0; i < targets.length; i += BATCH_SIZE) batches.push(targets.slice(i, i + BATCH_SIZE));
  let queued = 0;
  const failures: string[] = [];
  await forEachBounded(batches, BATCHES_IN_FLIGHT, async (batch) => {
    const result = await enqueueBatch(deps, event, batch, options.replay ?? false);
    queued += result.queued;
    failures.push(...result.failures);
  });
  if (failures.length > 0) {
    throw new Error(
      `${failures.length} delivery message(s) for event ${event.detail.eventId} were not queued: ${failures[0]}`,
    );
  }
  return queued;
};

/** Up to 10 subscriptions: their delivery records, one SendMessageBatch, and what it queued. */
const enqueueBatch = async (
  deps: EnqueueDependencies,
  event: DomainEvent,
  batch: readonly Subscription[],
  replay: boolean,
): Promise<{ queued: number; failures: string[] }> => {
  const { eventId, occurredAt } = event.detail;
  const now = deps.now();
  const opened = await Promise.all(
    batch.map((subscription) =>
      deps.subscriptions.openDelivery(
        { subscriptionId: subscription.id, eventId, eventType: event.detailType, occurredAt },
        now,
        replay,
      ),
    ),
  );
  const open = batch.filter((_, index) => opened[index]);
  if (open.length === 0) return { queued: 0, failures: [] };
  const result = await guardDatabase(
    () =>
      deps.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: deps.queueUrl,
          Entries: open.map((subscription, index) => ({
            Id: String(index),
            MessageBody: JSON.stringify({ subscriptionId: subscription.id, event } satisfies DeliveryMessage),
          })),
        }),
      ),
    'The delivery queue',
  );
  const sent = (result.Successful ?? []).flatMap((success) => open[Number(success.Id)] ?? []);
  await Promise.all(
    sent.map((subscription) =>
      deps.subscriptions.markEnqueued(subscription.id, occurredAt, eventId, deps.now()),
    ),
  );
  return {
    queued: sent.length,
    failures: (result.Failed ?? []).map((f) => `${f.Code}: ${f.Message ?? ''}`),
  };
};
