/**
 * The local replay and StreamFailures queues are configured from the definitions the CDK stack
 * reads: the replay queue runs REPLAY_QUEUE.maxConcurrency replay workers at once, one page
 * each, and dead-letters a page after REPLAY_QUEUE.maxReceiveCount receives; dead letters and
 * stream failures are kept as long as the deployed dead-letter queues keep them.
 */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { REPLAY_QUEUE } from '../../functions/events/plumbing.js';
import { DEAD_LETTER_RETENTION } from '../../lib/dead-letter-queue.js';
import { DEAD_LETTER_RETENTION_SECONDS } from '../../local/dead-letter-queue.js';
import { deliveryQueueConfigs } from '../../local/delivery-queues.js';
import {
  type LocalQueueConfig,
  type LocalQueues,
  type QueueConsumer,
  startLocalQueues,
} from '../../local/sqs/index.js';
import {
  REPLAY_DLQ_NAME,
  REPLAY_QUEUE_NAME,
  replayQueueConfigs,
  STREAM_FAILURE_QUEUE_NAME,
  streamFailureQueueConfig,
} from '../../local/work-queues.js';
import { heldConsumer } from '../support/held-consumer.js';
import { waitFor } from '../support/runtime-process.js';

const opened: { queues: LocalQueues; client: SQSClient }[] = [];
afterEach(async () => {
  for (const { queues, client } of opened.splice(0)) {
    client.destroy();
    await queues.close();
  }
});

const start = async (queues: LocalQueueConfig[]) => {
  const started = await startLocalQueues({ dataDir: null, queues, log: () => {} });
  const client = new SQSClient({
    endpoint: started.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  opened.push({ queues: started, client });
  return { queues: started, client };
};

const sendPages = async (client: SQSClient, queueUrl: string, bodies: string[]) => {
  for (let i = 0; i < bodies.length; i += 10) {
    await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: bodies.slice(i, i + 10).map((body) => ({ Id: body, MessageBody: body })),
      }),
    );
  }
};

describe('the local replay queue', () => {
  it('runs the deployed number of replay workers at once, and no more, each on one page', async () => {
    const batchSizes: number[] = [];
    const workers = heldConsumer((event) => batchSizes.push(event.Records.length));
    const { queues, client } = await start(replayQueueConfigs(workers.consumer));

    await sendPages(
      client,
      queues.queueUrl(REPLAY_QUEUE_NAME),
      Array.from({ length: 20 }, (_, i) => `page-${i}`),
    );
    try {
      await waitFor(
        () => (workers.running() >= REPLAY_QUEUE.maxConcurrency ? true : undefined),
        10_000,
        `${REPLAY_QUEUE.maxConcurrency} replay workers`,
      );
    } finally {
      workers.release();
    }
    await queues.drain(REPLAY_QUEUE_NAME);

    expect(workers.mostAtOnce()).toBe(REPLAY_QUEUE.maxConcurrency);
    expect(batchSizes).toHaveLength(20);
    expect(new Set(batchSizes)).toEqual(new Set([REPLAY_QUEUE.batchSize]));
  });

  it('moves a page that failed at every receive to its dead letters after maxReceiveCount receives', async () => {
    let receives = 0;
    const failing: QueueConsumer = async () => {
      receives++;
      throw new Error('the table is gone');
    };
    // A thousandth of the 180 s visibility timeout between receives.
    const configs = replayQueueConfigs(failing).map((config) => ({ ...config, timeScale: 0.001 }));
    const { queues, client } = await start(configs);

    await sendPages(client, queues.queueUrl(REPLAY_QUEUE_NAME), ['doomed-page']);
    const [dead] = await waitFor(
      () => {
        const held = queues.peek(REPLAY_DLQ_NAME);
        return held.length > 0 ? held : undefined;
      },
      20_000,
      'the page in the replay dead letters',
    );

    expect(dead?.body).toBe('doomed-page');
    expect(receives).toBe(REPLAY_QUEUE.maxReceiveCount);
    expect(queues.peek(REPLAY_QUEUE_NAME)).toEqual([]);
  });
});

describe('the local dead letters and StreamFailures', () => {
  it('are consumed by nobody and keep messages as long as the deployed dead-letter queues', () => {
    expect(DEAD_LETTER_RETENTION_SECONDS).toBe(DEAD_LETTER_RETENTION.toSeconds());
    const holding = [
      streamFailureQueueConfig(),
      ...replayQueueConfigs(async () => {}).filter((config) => config.name === REPLAY_DLQ_NAME),
    ];
    expect(holding.map((config) => config.name)).toEqual([STREAM_FAILURE_QUEUE_NAME, REPLAY_DLQ_NAME]);
    for (const config of holding) {
      expect(config).toMatchObject({ messageRetentionSeconds: DEAD_LETTER_RETENTION.toSeconds() });
      expect(config.consumer).toBeUndefined();
    }
  });

  it('make, with the delivery queues, the set of queues the runtime starts', async () => {
    const { queues } = await start([
      ...deliveryQueueConfigs(1, async () => {}),
      ...replayQueueConfigs(async () => {}),
      streamFailureQueueConfig(),
    ]);
    for (const name of [REPLAY_QUEUE_NAME, REPLAY_DLQ_NAME, STREAM_FAILURE_QUEUE_NAME]) {
      expect(queues.queueUrl(name)).toMatch(new RegExp(`/${name}$`));
    }
  });
});
