/**
 * The local queues besides the delivery queue's (delivery-queues.ts), configured from the same
 * definitions the CDK stack reads: the replay queue feeding the replay worker, one page per
 * invocation, with its dead-letter queue (REPLAY_QUEUE), and StreamFailures, where the
 * publisher puts a record that can never become an event.
 */
import { REPLAY_QUEUE } from '../functions/events/plumbing.js';
import { deadLetterQueueConfig } from './dead-letter-queue.js';
import type { LocalQueueConfig, QueueConsumer } from './sqs/index.js';

export const REPLAY_QUEUE_NAME = 'replays';
export const REPLAY_DLQ_NAME = 'replays-dlq';
/** The local StreamFailures: records the publisher found can never become an event. */
export const STREAM_FAILURE_QUEUE_NAME = 'stream-failures';

/** The replay queue, with `readPage` (the replay worker) consuming it, and its dead letters. */
export const replayQueueConfigs = (readPage: QueueConsumer): LocalQueueConfig[] => [
  {
    name: REPLAY_QUEUE_NAME,
    visibilityTimeoutSeconds: REPLAY_QUEUE.visibilityTimeoutSeconds,
    maxReceiveCount: REPLAY_QUEUE.maxReceiveCount,
    deadLetterQueue: REPLAY_DLQ_NAME,
    batchSize: REPLAY_QUEUE.batchSize,
    // As in AWS: this many replays run at once, however many pages wait.
    maxConcurrency: REPLAY_QUEUE.maxConcurrency,
    consumer: readPage,
  },
  deadLetterQueueConfig(REPLAY_DLQ_NAME),
];

export const streamFailureQueueConfig = (): LocalQueueConfig =>
  deadLetterQueueConfig(STREAM_FAILURE_QUEUE_NAME);
