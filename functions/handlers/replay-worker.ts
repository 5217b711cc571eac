import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DELIVERY_QUEUE, deliveryLeaseSeconds, EVENT_ENV, REPLAY_QUEUE } from '../events/plumbing.js';
import { type InvocationContext, invocationLogger, type Logger } from '../observability/logger.js';
import {
  type ReplayPageDependencies,
  type ReplayPageMessage,
  readReplayPage,
} from '../services/replay-pages.js';
import { lazy } from '../shared/lazy.js';
import { createDocumentClient, tableNameFromEnv } from '../storage/client.js';
import { EventRepository } from '../storage/event-repository.js';
import { ReplayRepository } from '../storage/replay-repository.js';
import { SubscriptionRepository } from '../storage/subscription-repository.js';

/**
 * The replay queue's consumer: one page of a replay per message. A page that fails is retried
 * by the queue; at its last attempt the replay is marked failed with the reason (the message then
 * goes to the dead-letter queue only if even that could not be recorded).
 */
export const createReplayWorker = (deps: ReplayPageDependencies & { log?: Logger }) => {
  const readOne = async (record: SQSRecord, invocationLog: Logger): Promise<'done' | 'retry'> => {
    const message = JSON.parse(record.body) as ReplayPageMessage;
    const log = invocationLog.child({ ...message, messageId: record.messageId });
    const lastAttempt =
      Number(record.attributes.ApproximateReceiveCount ?? '1') >= REPLAY_QUEUE.maxReceiveCount;
    try {
      const outcome = await readReplayPage(deps, message);
      if (outcome === 'read') return 'done';
      // The request stores a replay before it queues its first page: a replay unknown now (never
      // stored, or expired) never will be, and waiting for it would hold the message for minutes.
      log.warn('page message of an unknown replay dropped');
      return 'done';
    } catch (error) {
      log.error('replay page failed', { error: String(error) });
      if (!lastAttempt) return 'retry';
      await deps.replays.fail(
        message.subscriptionId,
        message.replayId,
        `page ${message.page} failed ${REPLAY_QUEUE.maxReceiveCount} times: ${String(error)}`,
        deps.now(),
      );
      return 'done';
    }
  };

  return async (event: SQSEvent, context?: InvocationContext): Promise<SQSBatchResponse> => {
    const log = invocationLogger(deps.log, context);
    const outcomes = await Promise.all(
      event.Records.map(async (record) => ({
        record,
        outcome: await readOne(record, log).catch(() => 'retry' as const),
      })),
    );
    return {
      batchItemFailures: outcomes
        .filter((o) => o.outcome === 'retry')
        .map((o) => ({ itemIdentifier: o.record.messageId })),
    };
  };
};

/** The lease the stage's delivery queue implies, or the one the local runtime scaled. */
const leaseFromEnv = (): number => {
  const value = Number(process.env[EVENT_ENV.deliveryLeaseSeconds]);
  return Number.isFinite(value) && value > 0
    ? value
    : deliveryLeaseSeconds(DELIVERY_QUEUE.visibilityTimeoutSeconds);
};

export const handler: (event: SQSEvent, context?: InvocationContext) => Promise<SQSBatchResponse> = lazy(
  () => {
    const options = { db: createDocumentClient(), tableName: tableNameFromEnv() };
    return createReplayWorker({
      replays: new ReplayRepository(options),
      events: new EventRepository(options),
      subscriptions: new SubscriptionRepository(options),
      sqs: new SQSClient({}),
      deliveryQueueUrl: process.env[EVENT_ENV.deliveryQueueUrl] ?? '',
      replayQueueUrl: process.env[EVENT_ENV.replayQueueUrl] ?? '',
      now: () => new Date(),
      pageSize: REPLAY_QUEUE.pageSize,
      deliveryLeaseSeconds: leaseFromEnv(),
    });
  },
);
