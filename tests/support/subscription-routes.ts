/**
 * What the subscription routes and the replay worker are given in handler tests: a test table,
 * an SQS client answered by aws-sdk-client-mock (the delivery queue takes every batch when asked
 * to; memoryReplayQueue plays the replay queue on the same mock), a secret box of its own, and a
 * resolver that finds a public address for every webhook host.
 */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import type { CreateSubscriptionDependencies } from '../../functions/handlers/create-subscription.js';
import type { ReplaySubscriptionDependencies } from '../../functions/handlers/replay-subscription.js';
import type { DeliveryMessage } from '../../functions/services/enqueue-deliveries.js';
import type { DocumentClient } from '../../functions/storage/document-client.js';
import { testSecretBox } from './secret-box.js';

type BatchInput = { Entries: { Id: string; MessageBody: string }[] };

/** Every subscription route's dependencies in one object, and the delivery queue the replay worker sends to. */
export type SubscriptionRouteDependencies = CreateSubscriptionDependencies &
  ReplaySubscriptionDependencies & { deliveryQueueUrl: string };

/** One mocked SQS client and secret box for a test file, and the dependencies built on them. */
export const subscriptionRoutes = () => {
  const sqs = new SQSClient({
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const sqsMock = mockClient(sqs);
  const sealer = testSecretBox();

  /** The routes' dependencies on `tableName` through `db`, at `now`; `overrides` replace any of them. */
  const dependencies = (
    db: DocumentClient,
    tableName: string,
    now: Date,
    overrides: Partial<SubscriptionRouteDependencies> = {},
  ): SubscriptionRouteDependencies => ({
    db,
    tableName,
    now: () => now,
    sqs,
    deliveryQueueUrl: 'http://queue.local/deliveries',
    replayQueueUrl: 'http://queue.local/replays',
    allowLocalhost: false,
    maxSubscriptionsPerOffice: 25,
    lookup: async () => [{ address: '93.184.216.34', family: 4 }],
    sealer,
    ...overrides,
  });

  /**
   * The delivery queue takes every SendMessageBatch whole; `taken` sees each batch's messages
   * first, and fails the call when it throws.
   */
  const acceptDeliveries = (taken: (messages: DeliveryMessage[]) => void = () => {}) =>
    sqsMock.on(SendMessageBatchCommand).callsFake((input: BatchInput) => {
      taken(input.Entries.map((entry) => JSON.parse(entry.MessageBody) as DeliveryMessage));
      return {
        Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: 'x' })),
        Failed: [],
      };
    });

  return { sqs, sqsMock, sealer, dependencies, acceptDeliveries };
};
