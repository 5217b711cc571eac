/**
 * A local queue that only holds what could not be handled, for someone to look at: nothing
 * consumes it, and it keeps messages as long as the deployed dead-letter queues do
 * (DEAD_LETTER_RETENTION in lib/dead-letter-queue.ts, which tests/local/work-queues.test.ts
 * holds this to).
 */
import type { LocalQueueConfig } from './sqs/index.js';

export const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 60 * 60;

export const deadLetterQueueConfig = (name: string): LocalQueueConfig => ({
  name,
  visibilityTimeoutSeconds: 30,
  batchSize: 10,
  messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
});
