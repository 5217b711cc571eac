import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Subscription } from '../domain/subscription.js';
import type { DomainEvent } from '../events/catalogue.js';
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

/**
 * Opens a delivery record per subscription and queues its message. A repeated call for the same
 * event queues nothing twice; a call that failed half-way queues the rest when repeated.
 * Throws when a message could not be queued, so the caller (EventBridge) retries.
 */
export const enqueueDeliveries = async (
  deps: EnqueueDependencies,
  event: DomainEvent,
  targets: readonly Subscription[],
  options: { replay?: boolean } = {},
): Promise<number> => {
  const { eventId, occurredAt } = event.detail;
  const now = deps.now();
  const open: Subscription[] = [];
  for (const subscription of targets) {
    const opened = await deps.subscriptions.openDelivery(
      { subscriptionId: subscription.id, eventId, eventType: event.detailType, occurredAt },
      now,
      options.replay ?? false,
    );
    if (opened) open.push(subscription);
  }

  let queued = 0;
  const failures: string[] = [];
  for (let i = 0; i < open.length; i += 10) {
    const chunk = open.slice(i, i + 10);
    const result = await guardDatabase(
      () =>
        deps.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: deps.queueUrl,
            Entries: chunk.map((subscription, index) => ({
              Id: String(index),
              MessageBody: JSON.stringify({
                subscriptionId: subscription.id,
                event,
              } satisfies DeliveryMessage),
            })),
          }),
        ),
      'The delivery queue',
    );
    for (const success of result.Successful ?? []) {
      const subscription = chunk[Number(success.Id)];
      if (!subscription) continue;
      await deps.subscriptions.markEnqueued(subscription.id, occurredAt, eventId, deps.now());
      queued++;
    }
    failures.push(...(result.Failed ?? []).map((f) => `${f.Code}: ${f.Message ?? ''}`));
  }
  if (failures.length > 0) {
    throw new Error(
      `${failures.length} delivery message(s) for event ${eventId} were not queued: ${failures[0]}`,
    );
  }
  return queued;
};
