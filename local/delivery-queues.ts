/**
 * The local delivery queue and its dead-letter queue, configured from the same DELIVERY_QUEUE
 * definition the CDK stack reads: batch size, redrive, and the deployed event source's cap on
 * deliverers running at once.
 */
import { DELIVERY_QUEUE } from '../functions/events/plumbing.js';
import { deadLetterQueueConfig } from './dead-letter-queue.js';
import type { LocalQueueConfig, QueueConsumer } from './sqs/index.js';

export const DELIVERY_QUEUE_NAME = 'deliveries';
export const DELIVERY_DLQ_NAME = 'deliveries-dlq';

/** Scaled like the retry delays, but never below the time one delivery attempt may take. */
export const deliveryVisibilitySeconds = (timeScale: number): number =>
  Math.max(
    Math.ceil((DELIVERY_QUEUE.requestTimeoutMs * 2) / 1000),
    Math.round(DELIVERY_QUEUE.visibilityTimeoutSeconds * timeScale),
  );

/** The two queues, with `deliver` (the deliverer) consuming the first. */
export const deliveryQueueConfigs = (timeScale: number, deliver: QueueConsumer): LocalQueueConfig[] => [
  {
    name: DELIVERY_QUEUE_NAME,
    visibilityTimeoutSeconds: deliveryVisibilitySeconds(timeScale),
    maxReceiveCount: DELIVERY_QUEUE.maxReceiveCount,
    deadLetterQueue: DELIVERY_DLQ_NAME,
    batchSize: DELIVERY_QUEUE.batchSize,
    // As in AWS, a burst of deliveries runs this many deliverers at once, and no more.
    maxConcurrency: DELIVERY_QUEUE.maxConcurrency,
    consumer: deliver,
  },
  deadLetterQueueConfig(DELIVERY_DLQ_NAME),
];
