/**
 * The Lambda-style consumer of a queue, as Lambda's SQS event source drives a function: poll a
 * batch, invoke, delete what succeeded; a failed invocation leaves the whole batch in flight, a
 * partial batch response leaves only the failed messages.
 */
import type { SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { errorText } from '../shared/error-text.js';
import { DEFAULT_POLL_INTERVAL_MS, type QueueConsumer } from './config.js';
import type { JournalEntry } from './journal.js';
import { receiptOf, type StoredMessage, systemAttributesOf } from './message.js';
import type { Queue, QueueState } from './queue-state.js';

const toRecord = (state: QueueState, queue: Queue, message: StoredMessage): SQSRecord => {
  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(message.attributes)) {
    messageAttributes[name] = {
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { binaryValue: value.BinaryValue } : {}),
      stringListValues: [],
      binaryListValues: [],
      dataType: value.DataType,
    };
  }
  const system = systemAttributesOf(message);
  return {
    messageId: message.id,
    receiptHandle: receiptOf(queue.config.name, message),
    body: message.body,
    attributes: {
      ApproximateReceiveCount: system.ApproximateReceiveCount ?? '1',
      SentTimestamp: system.SentTimestamp ?? '',
      SenderId: system.SenderId ?? '',
      ApproximateFirstReceiveTimestamp: system.ApproximateFirstReceiveTimestamp ?? '',
      ...(system.AWSTraceHeader !== undefined ? { AWSTraceHeader: system.AWSTraceHeader } : {}),
      ...(system.DeadLetterQueueSourceArn !== undefined
        ? { DeadLetterQueueSourceArn: system.DeadLetterQueueSourceArn }
        : {}),
    },
    messageAttributes,
    md5OfBody: message.md5OfBody,
    ...(message.md5OfAttributes !== null ? { md5OfMessageAttributes: message.md5OfAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: state.arnOf(queue.config.name),
    awsRegion: state.region,
  };
};

/** Lambda's reading of a partial batch response: ids to keep, or null for "all failed". */
const failedIds = (result: unknown, records: SQSRecord[]): Set<string> | null => {
  if (result === undefined || result === null || typeof result !== 'object') return new Set();
  const failures = (result as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return null;
  const ids = new Set<string>();
  const known = new Set(records.map((record) => record.messageId));
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !known.has(id)) return null;
    ids.add(id);
  }
  return ids;
};

const nextWakeMs = (queue: Queue, fallback: number) => {
  const now = Date.now();
  let wait = fallback;
  for (const message of queue.messages.values()) {
    if (message.visibleAt > now) wait = Math.min(wait, message.visibleAt - now);
  }
  return Math.max(1, wait);
};

/** Sleeps until the next message may become visible (at most pollIntervalMs) or a wake. */
const idle = async (state: QueueState, queue: Queue, pollInterval: number) => {
  if (state.closing) return;
  await queue.sleepers.sleep(nextWakeMs(queue, pollInterval));
};

/** Invokes the consumer with one received batch and deletes what it handled. */
const handleBatch = async (
  state: QueueState,
  queue: Queue,
  consumer: QueueConsumer,
  batch: StoredMessage[],
) => {
  const records = batch.map((message) => toRecord(state, queue, message));
  let result: unknown;
  try {
    result = await consumer({ Records: records });
  } catch (error) {
    // Like Lambda: the whole batch stays in flight and comes back after its visibility timeout.
    state.log(
      `${queue.config.name}: consumer failed, ${records.length} message(s) will be retried: ${errorText(error)}`,
    );
    return;
  }
  const failed = failedIds(result, records);
  if (failed === null) {
    state.log(`${queue.config.name}: invalid batchItemFailures, the whole batch will be retried`);
    return;
  }
  try {
    state.commit(
      ...records
        .filter((record) => !failed.has(record.messageId) && queue.messages.has(record.messageId))
        .map((record): JournalEntry => ({ op: 'delete', queue: queue.config.name, id: record.messageId })),
    );
  } catch (error) {
    state.log(`${queue.config.name}: deleting a handled batch failed: ${errorText(error)}`);
  }
};

/** One poller of the event source: receive a batch, invoke, delete what succeeded, until close. */
export const runConsumerWorker = async (state: QueueState, queue: Queue, consumer: QueueConsumer) => {
  const pollInterval = queue.config.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  while (!state.closing) {
    queue.activeWorkers++;
    try {
      let batch: StoredMessage[];
      try {
        batch = state.receive(queue, queue.config.batchSize, queue.config.visibilityTimeoutSeconds);
      } catch (error) {
        state.log(`${queue.config.name}: receive failed: ${errorText(error)}`);
        batch = [];
      }
      if (batch.length === 0) {
        queue.activeWorkers--;
        try {
          await idle(state, queue, pollInterval);
        } finally {
          queue.activeWorkers++;
        }
        continue;
      }
      await handleBatch(state, queue, consumer, batch);
    } finally {
      queue.activeWorkers--;
    }
  }
};
