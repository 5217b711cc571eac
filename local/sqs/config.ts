/** What a local queue is configured with, SQS's limits on it, and the check of a configuration. */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

/** A Lambda SQS handler: resolves with nothing, or with the messages that failed. */
export type QueueConsumer = (event: SQSEvent) => Promise<SQSBatchResponse | undefined> | Promise<void>;

export interface LocalQueueConfig {
  /** 1–80 characters: letters, digits, `-` and `_` (standard queues only). */
  name: string;
  /** The queue's default visibility timeout, 0–43 200 s. */
  visibilityTimeoutSeconds: number;
  /** With `deadLetterQueue`: receives after which a message moves there (the redrive policy). */
  maxReceiveCount?: number;
  /** Name of another configured queue. */
  deadLetterQueue?: string;
  /** Records per consumer invocation. */
  batchSize: number;
  /** Invoked like a Lambda function subscribed to the queue. */
  consumer?: QueueConsumer;
  /** Batches the consumer may be handling at once (Lambda runs several); 1 when omitted. */
  maxConcurrency?: number;
  /** Longest sleep of the consumer loop when nothing is visible (it also wakes on every send). */
  pollIntervalMs?: number;
  /** Multiplies every delay, visibility timeout and the retention period (tests use e.g. 0.01). */
  timeScale?: number;
  /** How long a message is kept, 60–1 209 600 s; SQS's default of 4 days when omitted. */
  messageRetentionSeconds?: number;
}

export interface LocalQueuesOptions {
  /** State goes to `<dataDir>/queues/`; `null` keeps it in memory only. */
  dataDir: string | null;
  queues: LocalQueueConfig[];
  /** 0 or omitted: a free port. */
  port?: number;
  host?: string;
  region?: string;
  accountId?: string;
  log?: (line: string) => void;
}

/** SQS's current maximum (1 MiB since August 2025), body plus attributes. */
export const MAX_MESSAGE_BYTES = 1_048_576;
export const MAX_REQUEST_BYTES = 2 * MAX_MESSAGE_BYTES;
export const DEFAULT_RETENTION_SECONDS = 4 * 24 * 60 * 60;
export const MAX_VISIBILITY_SECONDS = 43_200;
export const MAX_DELAY_SECONDS = 900;
export const MAX_WAIT_SECONDS = 20;
export const MAX_BATCH_ENTRIES = 10;
export const DEFAULT_POLL_INTERVAL_MS = 1_000;
export const LONG_POLL_RECHECK_MS = 25;
export const DRAIN_RECHECK_MS = 10;
/** Journal entries after which the state is rewritten as a snapshot and the journal restarted. */
export const COMPACT_AFTER_ENTRIES = 2_000;
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** Refuses a configuration SQS or Lambda would refuse, before anything starts. */
export const validateConfigs = (configs: LocalQueueConfig[]): void => {
  const names = new Set<string>();
  for (const config of configs) {
    if (!QUEUE_NAME.test(config.name)) throw new Error(`Queue name "${config.name}" is not valid`);
    if (names.has(config.name)) throw new Error(`Queue "${config.name}" is configured twice`);
    names.add(config.name);
    const visibility = config.visibilityTimeoutSeconds;
    if (!Number.isInteger(visibility) || visibility < 0 || visibility > MAX_VISIBILITY_SECONDS) {
      throw new Error(`Queue ${config.name}: visibilityTimeoutSeconds must be 0–${MAX_VISIBILITY_SECONDS}`);
    }
    if (!Number.isInteger(config.batchSize) || config.batchSize < 1 || config.batchSize > 10_000) {
      throw new Error(`Queue ${config.name}: batchSize must be 1–10000`);
    }
    if (
      config.maxConcurrency !== undefined &&
      (!Number.isInteger(config.maxConcurrency) || config.maxConcurrency < 1 || config.maxConcurrency > 1000)
    ) {
      throw new Error(`Queue ${config.name}: maxConcurrency must be 1–1000`);
    }
    if (config.timeScale !== undefined && !(config.timeScale > 0)) {
      throw new Error(`Queue ${config.name}: timeScale must be positive`);
    }
    if (
      config.maxReceiveCount !== undefined &&
      (!Number.isInteger(config.maxReceiveCount) || config.maxReceiveCount < 1)
    ) {
      throw new Error(`Queue ${config.name}: maxReceiveCount must be a positive integer`);
    }
  }
  for (const config of configs) {
    if (config.deadLetterQueue === undefined) continue;
    if (!names.has(config.deadLetterQueue) || config.deadLetterQueue === config.name) {
      throw new Error(
        `Queue ${config.name}: dead-letter queue "${config.deadLetterQueue}" is not configured`,
      );
    }
    if (config.maxReceiveCount === undefined) {
      throw new Error(`Queue ${config.name}: a dead-letter queue needs maxReceiveCount`);
    }
  }
};
