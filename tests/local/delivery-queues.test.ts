/**
 * The local delivery queue runs deliverers like the deployed SQS event source: at most
 * maxConcurrency (10) invocations at once, however many messages wait.
 */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { DELIVERY_QUEUE_NAME, deliveryQueueConfigs } from '../../local/delivery-queues.js';
import { type LocalQueues, startLocalQueues } from '../../local/sqs/index.js';
import { heldConsumer } from '../support/held-consumer.js';
import { waitFor } from '../support/runtime-process.js';

/** The deployed event source's maximumConcurrency (tests/infra pins it in the template too). */
const DEPLOYED_CAP = 10;

const opened: { queues: LocalQueues; client: SQSClient }[] = [];
afterEach(async () => {
  for (const { queues, client } of opened.splice(0)) {
    client.destroy();
    await queues.close();
  }
});

describe('the local delivery queue', () => {
  it('runs up to the deployed cap of deliverers at once, and no more, for a burst of 30 batches', async () => {
    const handled: string[] = [];
    const deliverers = heldConsumer((event) => handled.push(...event.Records.map((record) => record.body)));
    const queues = await startLocalQueues({
      dataDir: null,
      queues: deliveryQueueConfigs(1, deliverers.consumer),
      log: () => {},
    });
    const client = new SQSClient({
      endpoint: queues.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    opened.push({ queues, client });

    const bodies = Array.from({ length: 300 }, (_, i) => `m${i}`);
    for (let i = 0; i < bodies.length; i += 10) {
      await client.send(
        new SendMessageBatchCommand({
          QueueUrl: queues.queueUrl(DELIVERY_QUEUE_NAME),
          Entries: bodies.slice(i, i + 10).map((body) => ({ Id: body, MessageBody: body })),
        }),
      );
    }
    try {
      await waitFor(
        () => (deliverers.running() >= DEPLOYED_CAP ? true : undefined),
        10_000,
        `${DEPLOYED_CAP} deliverers`,
      );
    } finally {
      // Also on failure: closing the queue waits for the invocations under way.
      deliverers.release();
    }
    await queues.drain(DELIVERY_QUEUE_NAME);

    expect(deliverers.mostAtOnce()).toBe(DEPLOYED_CAP);
    expect(handled.sort()).toEqual([...bodies].sort());
  });
});
