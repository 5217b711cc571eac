import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { deliveryLeaseSeconds, REPLAY_QUEUE } from '../../functions/events/plumbing.js';
import { createReplayWorker } from '../../functions/handlers/replay-worker.js';
import type { DocumentClient } from '../../functions/storage/document-client.js';
import { EventRepository } from '../../functions/storage/event-repository.js';
import { ReplayRepository } from '../../functions/storage/replay-repository.js';
import { SubscriptionRepository } from '../../functions/storage/subscription-repository.js';

/** An SQS record as Lambda's event source hands it over. */
export const sqsRecord = (body: string, receiveCount: number, messageId: string): SQSRecord => ({
  messageId,
  receiptHandle: `rh-${messageId}-${receiveCount}`,
  body,
  attributes: {
    ApproximateReceiveCount: String(receiveCount),
    SentTimestamp: '1733097600000',
    SenderId: 'AIDAEXAMPLE',
    ApproximateFirstReceiveTimestamp: '1733097600000',
  },
  messageAttributes: {},
  md5OfBody: 'x',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:ap-northeast-1:123456789012:replays',
  awsRegion: 'ap-northeast-1',
});

type Consumer = (event: SQSEvent) => Promise<SQSBatchResponse>;

/**
 * The replay queue in memory, on a mocked SQS client: every SendMessage is kept, and `next`
 * hands the oldest to a consumer as the event source would (a failed message goes back, its
 * receive count one higher).
 */
export const memoryReplayQueue = (sqsMock: AwsClientStub<SQSClient>) => {
  const waiting: { body: string; receiveCount: number; id: string }[] = [];
  let sent = 0;
  sqsMock.on(SendMessageCommand).callsFake((input: { MessageBody: string }) => {
    const id = `replay-msg-${++sent}`;
    waiting.push({ body: input.MessageBody, receiveCount: 0, id });
    return { MessageId: id };
  });
  const queue = {
    waiting,
    /** Receives the oldest message and hands it to `consume`; false when the queue is empty. */
    async next(consume: Consumer): Promise<boolean> {
      const message = waiting.shift();
      if (!message) return false;
      message.receiveCount++;
      const result = await consume({ Records: [sqsRecord(message.body, message.receiveCount, message.id)] });
      if (result.batchItemFailures.length > 0) waiting.push(message);
      return true;
    },
    /** Runs messages until none is left (at most `limit`, so a loop fails the test instead of hanging). */
    async drain(consume: Consumer, limit = 1000): Promise<number> {
      let handled = 0;
      while (handled < limit && (await queue.next(consume))) handled++;
      return handled;
    },
  };
  return queue;
};

/** The replay worker on a route's dependencies, with pages of `pageSize` and the AWS lease. */
export const replayWorkerFor = (
  deps: {
    db: DocumentClient;
    tableName: string;
    sqs: SQSClient;
    deliveryQueueUrl: string;
    replayQueueUrl: string;
    now: () => Date;
  },
  options: { pageSize?: number; deliveryLeaseSeconds?: number } = {},
) => {
  const storage = { db: deps.db, tableName: deps.tableName };
  return createReplayWorker({
    ...deps,
    replays: new ReplayRepository(storage),
    events: new EventRepository(storage),
    subscriptions: new SubscriptionRepository(storage),
    pageSize: options.pageSize ?? REPLAY_QUEUE.pageSize,
    deliveryLeaseSeconds: options.deliveryLeaseSeconds ?? deliveryLeaseSeconds(),
  });
};
