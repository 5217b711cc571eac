/**
 * The notifier's dependencies down for a while: the table it lists subscriptions from, then the
 * delivery queue. The event goes through the local bus (the notifier rule and its retry policy,
 * as deployed) to the real notifier, over DynamoDB Local and a local SQS queue: the bus retries
 * the failed invocations and, once both are back, the event is queued once per subscription.
 * An event that still fails after the retry policy goes to the target's dead letter, not away.
 * (In AWS the failed event goes to the notifier's dead-letter queue, which tests/infra checks.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../functions/events/catalogue.js';
import { EVENT_SOURCE } from '../../functions/events/catalogue.js';
import { eventsFromRecord } from '../../functions/events/from-stream.js';
import { NOTIFIER_RULE } from '../../functions/events/plumbing.js';
import { createNotifier } from '../../functions/handlers/notifier.js';
import { createDocumentClient } from '../../functions/storage/client.js';
import { SubscriptionRepository } from '../../functions/storage/subscription-repository.js';
import { type LocalEventBus, startLocalEventBus } from '../../local/eventbridge/index.js';
import type { EventEnvelope } from '../../local/eventbridge/types.js';
import { notifierRule } from '../../local/notifier-rule.js';
import { type LocalQueues, startLocalQueues } from '../../local/sqs/index.js';
import { LOCAL_CREDENTIAL, LOCAL_REGION } from '../../local/table.js';
import { createTestTable, type TestTable, testDynamoClient } from '../support/dynamo.js';
import { subscriptionFixture } from '../support/fixtures.js';
import { milestoneInsert } from '../support/stream-records.js';

const NOW = new Date('2024-12-02T00:00:00.000Z');
const BUS = 'faults-bus';
const QUEUE = 'deliveries';
const credentials = { accessKeyId: LOCAL_CREDENTIAL, secretAccessKey: LOCAL_CREDENTIAL };

/** Calls (by SDK command name) that fail, each for its next `remaining` calls. */
const outage = new Map<string, number>();
const unreachable = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { name: 'Error', code: 'ECONNREFUSED' });
/** An SDK middleware failing the calls `outage` names, as a refused connection would. */
const whileDown =
  <I, O>(next: (args: I) => Promise<O>, context: { commandName?: string }) =>
  async (args: I): Promise<O> => {
    const name = context.commandName ?? '';
    const left = outage.get(name) ?? 0;
    if (left > 0) {
      outage.set(name, left - 1);
      throw unreachable();
    }
    return next(args);
  };
const OUTAGE = { step: 'initialize', name: 'outage' } as const;

let table: TestTable;
let dynamo: DynamoDBClient;
let queues: LocalQueues;
let sqs: SQSClient;
let dataDir: string;
const opened: LocalEventBus[] = [];

beforeAll(async () => {
  table = await createTestTable('notifier-outage');
  dynamo = testDynamoClient();
  dynamo.middlewareStack.add(whileDown, OUTAGE);
  const subscriptions = new SubscriptionRepository({ db: table.doc, tableName: table.tableName });
  await subscriptions.create(subscriptionFixture('all-events', {}, NOW.toISOString()));
  await subscriptions.create(
    subscriptionFixture('rail-only', { projectIds: ['rail-2024'] }, NOW.toISOString()),
  );
  await subscriptions.create(subscriptionFixture('anhui-only', { provinces: ['anhui'] }, NOW.toISOString()));
  queues = await startLocalQueues({
    dataDir: null,
    queues: [{ name: QUEUE, visibilityTimeoutSeconds: 30, batchSize: 10 }],
    log: () => {},
  });
  sqs = new SQSClient({ endpoint: queues.endpoint, region: LOCAL_REGION, credentials, maxAttempts: 1 });
  sqs.middlewareStack.add(whileDown, OUTAGE);
  dataDir = await mkdtemp(join(tmpdir(), 'notifier-outage-'));
});
afterEach(async () => {
  outage.clear();
  await Promise.all(opened.splice(0).map((bus) => bus.close()));
});
afterAll(async () => {
  sqs?.destroy();
  dynamo?.destroy();
  await queues?.close();
  await table?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

/** The local bus with the deployed notifier rule and retry policy, its target the real notifier. */
const startBus = async (deadLettered: EventEnvelope[], invocations: { count: number }) => {
  const notifier = createNotifier({
    subscriptions: new SubscriptionRepository({
      db: createDocumentClient(dynamo),
      tableName: table.tableName,
    }),
    sqs,
    queueUrl: queues.queueUrl(QUEUE),
    now: () => NOW,
  });
  const bus = await startLocalEventBus({
    dataDir,
    busName: BUS,
    // The deployed policy's retries, at a ten-thousandth of their delays.
    retryDelayScale: 0.0001,
    rules: [
      notifierRule(
        async (event) => {
          invocations.count++;
          await notifier(event);
        },
        async (envelope) => {
          deadLettered.push(envelope);
        },
      ),
    ],
    log: () => {},
  });
  opened.push(bus);
  return bus;
};

const publish = async (bus: LocalEventBus, event: DomainEvent) => {
  const client = new EventBridgeClient({ endpoint: bus.endpoint, region: LOCAL_REGION, credentials });
  const put = await client.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: BUS,
          Source: EVENT_SOURCE,
          DetailType: event.detailType,
          Detail: JSON.stringify(event.detail),
        },
      ],
    }),
  );
  client.destroy();
  expect(put.FailedEntryCount).toBe(0);
};

const queuedFor = (eventId: string) =>
  queues
    .peek(QUEUE)
    .map((m) => JSON.parse(m.body) as { subscriptionId: string; event: { detail: { eventId: string } } })
    .filter((m) => m.event.detail.eventId === eventId)
    .map((m) => m.subscriptionId)
    .sort();

const milestoneEvent = (province: 'anhui' | 'jiangsu', id: string) => {
  const [event] = eventsFromRecord(milestoneInsert(province, { value: 1, asOf: '2024-06-30' }, null, id));
  if (!event) throw new Error('no event');
  return event;
};

describe('the notifier while the table and the queue are unreachable', () => {
  it('is retried by the bus until both are back, then queues the event once per subscription', async () => {
    const deadLettered: EventEnvelope[] = [];
    const invocations = { count: 0 };
    const bus = await startBus(deadLettered, invocations);
    const event = milestoneEvent('anhui', 'outage-1');
    // Three invocations find the table down, the next two the queue.
    outage.set('ScanCommand', 3).set('QueryCommand', 3).set('SendMessageBatchCommand', 2);

    await publish(bus, event);
    await bus.flush();

    expect(invocations.count).toBeGreaterThanOrEqual(4);
    expect(deadLettered).toEqual([]);
    expect(queuedFor(event.detail.eventId)).toEqual(['all-events', 'anhui-only', 'rail-only']);
  });

  it('dead-letters an event whose notifier fails past the retry policy, with nothing queued', async () => {
    const deadLettered: EventEnvelope[] = [];
    const invocations = { count: 0 };
    const bus = await startBus(deadLettered, invocations);
    const event = milestoneEvent('jiangsu', 'outage-2');
    outage.set('SendMessageBatchCommand', Number.POSITIVE_INFINITY);

    await publish(bus, event);
    await bus.flush();

    expect(invocations.count).toBe(NOTIFIER_RULE.retryPolicy.maximumRetryAttempts + 1);
    expect(deadLettered.map((e) => (e.detail as { eventId: string }).eventId)).toEqual([
      event.detail.eventId,
    ]);
    expect(queuedFor(event.detail.eventId)).toEqual([]);
  });
});
