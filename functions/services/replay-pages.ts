import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { pageCounts, type ReplayCounts, type ReplayedDelivery } from '../domain/replay.js';
import { subscriptionMatches } from '../domain/subscription.js';
import { forEachBounded } from '../shared/for-each-bounded.js';
import { guardDatabase } from '../storage/dynamo-errors.js';
import type { EventRepository } from '../storage/event-repository.js';
import type { ReplayRepository, StoredReplay } from '../storage/replay-repository.js';
import type { SubscriptionRepository } from '../storage/subscription-repository.js';
import { type DeliveryTarget, deliveryOpening, sendDeliveries } from './enqueue-deliveries.js';

/** One message of the replay queue: "read page `page` of this replay". */
export interface ReplayPageMessage {
  subscriptionId: string;
  replayId: string;
  page: number;
}

export interface ReplayQueueDependencies {
  sqs: SQSClient;
  replayQueueUrl: string;
}

export interface ReplayPageDependencies extends ReplayQueueDependencies {
  replays: ReplayRepository;
  events: EventRepository;
  subscriptions: SubscriptionRepository;
  deliveryQueueUrl: string;
  now: () => Date;
  /** Logged events read per page (REPLAY_QUEUE.pageSize). */
  pageSize: number;
  /** See deliveryLeaseSeconds: a delivery pending longer than this was lost. */
  deliveryLeaseSeconds: number;
}

/** Delivery records opened at once while a page is read: bounds the page's database writes. */
const OPENS_IN_FLIGHT = 10;

/** Queues the message for a page of a replay. */
export const sendReplayPage = async (deps: ReplayQueueDependencies, message: ReplayPageMessage) => {
  await guardDatabase(
    () =>
      deps.sqs.send(
        new SendMessageCommand({ QueueUrl: deps.replayQueueUrl, MessageBody: JSON.stringify(message) }),
      ),
    'The replay queue',
  );
};

const addCounts = (a: ReplayCounts, b: ReplayCounts): ReplayCounts => ({
  matched: a.matched + b.matched,
  queued: a.queued + b.queued,
  skippedAlreadyPending: a.skippedAlreadyPending + b.skippedAlreadyPending,
  stuckRequeued: a.stuckRequeued + b.stuckRequeued,
});

/**
 * What became of a page message: `read` (or already read, or nothing left to read), or
 * `unknown-replay` when no such replay is stored (the request stores a replay before it queues
 * its first page, so it never will be: it expired, or the message is not one of ours).
 */
export type ReplayPageOutcome = 'read' | 'unknown-replay';

/**
 * Reads one page of a replay: its logged events from where the last page stopped, the deliveries
 * of those the subscription matches (none sent twice, see ReplayRepository.openDelivery), then
 * records the page and queues the next. Safe to run again for the same message: a page recorded
 * already is not counted twice; a page whose next message was lost (a crash after the record)
 * has it queued again.
 */
export const readReplayPage = async (
  deps: ReplayPageDependencies,
  message: ReplayPageMessage,
): Promise<ReplayPageOutcome> => {
  const replay = await deps.replays.get(message.subscriptionId, message.replayId);
  if (replay === null) return 'unknown-replay';
  if (replay.state === 'done' || replay.state === 'failed' || replay.pages < message.page) return 'read';
  if (replay.pages > message.page) {
    await sendReplayPage(deps, { ...message, page: replay.pages });
    return 'read';
  }
  const subscription = await deps.subscriptions.get(replay.subscriptionId);
  if (subscription?.status !== 'active') {
    const why = subscription ? `the subscription is ${subscription.status}` : 'the subscription was deleted';
    await deps.replays.fail(replay.subscriptionId, replay.id, why, deps.now());
    return 'read';
  }

  const page = await deps.events.eventsPage(
    new Date(replay.since),
    new Date(replay.until),
    replay.cursor,
    deps.pageSize,
  );
  const matching = page.events.filter((event) =>
    subscriptionMatches(subscription, {
      detailType: event.detailType,
      projectId: event.detail.projectId,
      province: 'province' in event.detail ? event.detail.province : undefined,
    }),
  );
  const counts = await queuePage(
    deps,
    replay,
    matching.map((event) => ({ subscription, event })),
  );
  const recorded = await deps.replays.recordPage(
    replay,
    page.next,
    addCounts(replay.counts, counts),
    deps.now(),
  );
  // Only the copy that recorded the page queues the next one: duplicates die out here.
  if (recorded && page.next !== null) await sendReplayPage(deps, { ...message, page: replay.pages + 1 });
  return 'read';
};

/** Opens the page's deliveries, queues those to send, and counts how each was seen. */
const queuePage = async (
  deps: ReplayPageDependencies,
  replay: StoredReplay,
  targets: readonly DeliveryTarget[],
): Promise<ReplayCounts> => {
  const now = deps.now();
  const stuckBefore = new Date(now.getTime() - deps.deliveryLeaseSeconds * 1000);
  const outcomes: ReplayedDelivery[] = [];
  const toSend: DeliveryTarget[] = [];
  await forEachBounded(targets, OPENS_IN_FLIGHT, async (target) => {
    const opened = await deps.replays.openDelivery(
      deliveryOpening(replay.subscriptionId, target.event),
      replay.id,
      now,
      stuckBefore,
    );
    outcomes.push(opened.outcome);
    if (opened.send) toSend.push(target);
  });
  await sendDeliveries(
    { subscriptions: deps.subscriptions, sqs: deps.sqs, queueUrl: deps.deliveryQueueUrl, now: deps.now },
    toSend,
  );
  return pageCounts(outcomes);
};
