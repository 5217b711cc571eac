import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Subscription } from '../domain/subscription.js';
import type { DomainEvent } from '../events/catalogue.js';
import { forEachBounded } from '../shared/for-each-bounded.js';
import { guardDatabase } from '../storage/dynamo-errors.js';
import type { DeliveryOpening, SubscriptionRepository } from '../storage/subscription-repository.js';

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

/** The delivery record of `event` for a subscription: the event's ids and its correlation id. */
export const deliveryOpening = (subscriptionId: string, event: DomainEvent): DeliveryOpening => ({
  subscriptionId,
  eventId: event.detail.eventId,
  eventType: event.detailType,
  occurredAt: event.detail.occurredAt,
  ...(event.detail.correlationId === undefined ? {} : { correlationId: event.detail.correlationId }),
});

/** SendMessageBatch takes at most 10 messages. */
const BATCH_SIZE = 10;
/**
 * Batches in flight at once. One after the other, an event for a few thousand subscriptions
 * would outlast the notifier's timeout and be dead-lettered for every office; all at once, it
 * would open hundreds of database writes together and be throttled. Five batches of 10 keep
 * at most 50 database writes in flight.
 */
export const BATCHES_IN_FLIGHT = 5;

/** One delivery to queue: an event for a subscription whose delivery record is open. */
export interface DeliveryTarget {
  subscription: Subscription;
  event: DomainEvent;
}

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
): Promise<number> =>
  inBatches(
    targets.map((subscription) => ({ subscription, event })),
    async (batch) => {
      const now = deps.now();
      const opened = await Promise.all(
        batch.map(({ subscription }) =>
          deps.subscriptions.openDelivery(deliveryOpening(subscription.id, event), now),
        ),
      );
      return sendBatch(
        deps,
        batch.filter((_, index) => opened[index]),
      );
    },
  );

/**
 * Queues the messages of deliveries whose records are already open (a replay opens its own), as
 * enqueueDeliveries does, and marks each queued one.
 */
export const sendDeliveries = (
  deps: EnqueueDependencies,
  targets: readonly DeliveryTarget[],
): Promise<number> => inBatches(targets, (batch) => sendBatch(deps, batch));

/** Runs `handle` on batches of 10, BATCHES_IN_FLIGHT at a time; throws if any message was not queued. */
const inBatches = async (
  targets: readonly DeliveryTarget[],
  handle: (batch: DeliveryTarget[]) => Promise<{ queued: number; failures: string[] }>,
): Promise<number> => {
  const batches: DeliveryTarget[][] = [];
  for (let i = 0; i < targets.length; i += BATCH_SIZE) batches.push(targets.slice(i, i + BATCH_SIZE));
  let queued = 0;
  const failures: string[] = [];
  await forEachBounded(batches, BATCHES_IN_FLIGHT, async (batch) => {
    const result = await handle(batch);
    queued += result.queued;
    failures.push(...result.failures);
  });
  if (failures.length > 0) {
    throw new Error(`${failures.length} delivery message(s) were not queued: ${failures[0]}`);
  }
  return queued;
};

/** Up to 10 deliveries: one SendMessageBatch, and what it queued. */
const sendBatch = async (
  deps: EnqueueDependencies,
  batch: readonly DeliveryTarget[],
): Promise<{ queued: number; failures: string[] }> => {
  if (batch.length === 0) return { queued: 0, failures: [] };
  const result = await guardDatabase(
    () =>
      deps.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: deps.queueUrl,
          Entries: batch.map(({ subscription, event }, index) => ({
            Id: String(index),
            MessageBody: JSON.stringify({ subscriptionId: subscription.id, event } satisfies DeliveryMessage),
          })),
        }),
      ),
    'The delivery queue',
  );
  const sent = (result.Successful ?? []).flatMap((success) => batch[Number(success.Id)] ?? []);
  await Promise.all(
    sent.map(({ subscription, event }) =>
      deps.subscriptions.markEnqueued(
        subscription.id,
        event.detail.occurredAt,
        event.detail.eventId,
        deps.now(),
      ),
    ),
  );
  return {
    queued: sent.length,
    failures: (result.Failed ?? []).map((f) => `${f.Code}: ${f.Message ?? ''}`),
  };
};
