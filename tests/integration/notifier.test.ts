import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { EventBridgeEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StoredSubscription } from '../../functions/domain/subscription.js';
import type { DomainEvent } from '../../functions/events/catalogue.js';
import { EVENT_SOURCE } from '../../functions/events/catalogue.js';
import { eventsFromRecord } from '../../functions/events/from-stream.js';
import { createNotifier } from '../../functions/handlers/notifier.js';
import { BATCHES_IN_FLIGHT } from '../../functions/services/enqueue-deliveries.js';
import { SubscriptionRepository } from '../../functions/storage/subscription-repository.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { lambdaContext, subscriptionFixture } from '../support/fixtures.js';
import { capturingLogger } from '../support/log-lines.js';
import { milestoneInsert, regionModify } from '../support/stream-records.js';

let table: TestTable;
let subscriptions: SubscriptionRepository;
const sqs = new SQSClient({
  region: 'ap-northeast-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
const sqsMock = mockClient(sqs);
const NOW = new Date('2024-12-02T00:00:00.000Z');

const subscription = (id: string, filters: Partial<StoredSubscription>) =>
  subscriptionFixture(id, filters, NOW.toISOString());

beforeAll(async () => {
  table = await createTestTable('notifier');
  subscriptions = new SubscriptionRepository({ db: table.doc, tableName: table.tableName });
  await subscriptions.create(subscription('all-events', {}));
  await subscriptions.create(subscription('rail-only', { projectIds: ['rail-2024'] }));
  await subscriptions.create(subscription('anhui-only', { provinces: ['anhui'] }));
  await subscriptions.create(subscription('thresholds-only', { eventTypes: ['ProgressThresholdReached'] }));
  await subscriptions.create(subscription('disabled', { status: 'disabled' }));
});
afterAll(async () => {
  await table?.drop();
});
const acceptAll = (input: { Entries: { Id: string }[] }) => ({
  Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: 'x' })),
  Failed: [],
});
beforeEach(() => {
  sqsMock.reset();
  sqsMock.on(SendMessageBatchCommand).callsFake(acceptAll);
});

const envelope = (event: DomainEvent): EventBridgeEvent<string, DomainEvent['detail']> => ({
  version: '0',
  id: 'eb-1',
  'detail-type': event.detailType,
  source: EVENT_SOURCE,
  account: '123456789012',
  time: '2024-12-01T00:00:00Z',
  region: 'ap-northeast-1',
  resources: [],
  detail: event.detail,
});

const notifier = () =>
  createNotifier({ subscriptions, sqs, queueUrl: 'http://queue.local/deliveries', now: () => NOW });
const queuedFor = () =>
  sqsMock
    .commandCalls(SendMessageBatchCommand)
    .flatMap((c) => c.args[0].input.Entries ?? [])
    .map((e) => JSON.parse(e.MessageBody ?? '{}').subscriptionId as string)
    .sort();

describe('the notifier', () => {
  it('queues one delivery per matching subscription, honouring type, project and province filters', async () => {
    const [event] = eventsFromRecord(
      milestoneInsert('jiangsu', { value: 1, asOf: '2024-06-30' }, null, 'n-1'),
    );
    if (!event) throw new Error('no event');

    const result = await notifier()(envelope(event));

    expect(result).toMatchObject({ matched: 2, queued: 2 });
    expect(queuedFor()).toEqual(['all-events', 'rail-only']);
  });

  it('matches a threshold event without a province filter but not a province-filtered subscription of another province', async () => {
    const [event] = eventsFromRecord(regionModify({ jiangsu: 100 }, { jiangsu: 200 }));
    if (!event) throw new Error('no event');
    await notifier()(envelope(event));
    expect(queuedFor()).toEqual(['all-events', 'rail-only', 'thresholds-only']);
  });

  it("opens each delivery with the event's correlation id, and logs what it fanned out", async () => {
    const [read] = eventsFromRecord(
      milestoneInsert('jiangsu', { value: 2, asOf: '2024-06-30' }, null, 'n-corr'),
    );
    if (!read) throw new Error('no event');
    const event = { ...read, detail: { ...read.detail, correlationId: 'corr-n-1' } } as DomainEvent;
    const { log, lines } = capturingLogger();
    const notify = createNotifier({
      subscriptions,
      sqs,
      queueUrl: 'http://queue.local/deliveries',
      now: () => NOW,
      log,
    });

    await notify(envelope(event), lambdaContext());

    const deliveries = await subscriptions.listDeliveries('rail-only', 10);
    expect(deliveries.find((d) => d.eventId === event.detail.eventId)?.correlationId).toBe('corr-n-1');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        message: 'event fanned out',
        requestId: lambdaContext().awsRequestId,
        eventId: event.detail.eventId,
        detailType: 'MilestoneRecorded',
        projectId: 'rail-2024',
        province: 'jiangsu',
        correlationId: 'corr-n-1',
        matched: 2,
        queued: 2,
      }),
    ]);
  });

  it('queues nothing twice when EventBridge delivers the same event again', async () => {
    const [event] = eventsFromRecord(milestoneInsert('anhui', { value: 1, asOf: '2024-06-30' }, null, 'n-2'));
    if (!event) throw new Error('no event');
    await notifier()(envelope(event));
    await notifier()(envelope(event));
    expect(queuedFor()).toEqual(['all-events', 'anhui-only', 'rail-only']);
  });

  it('fails when a message is not queued, and the retry queues only what is missing', async () => {
    const [event] = eventsFromRecord(milestoneInsert('anhui', { value: 2, asOf: '2024-06-30' }, null, 'n-3'));
    if (!event) throw new Error('no event');
    sqsMock
      .on(SendMessageBatchCommand)
      .callsFakeOnce((input: { Entries: { Id: string }[] }) => ({
        Successful: input.Entries.slice(1).map((e) => ({ Id: e.Id, MessageId: 'm', MD5OfMessageBody: 'x' })),
        Failed: [{ Id: input.Entries[0]?.Id, Code: 'InternalError', SenderFault: false }],
      }))
      .callsFake(acceptAll);

    await expect(notifier()(envelope(event))).rejects.toThrow(/not queued/);
    const retried = await notifier()(envelope(event));

    expect(retried.queued).toBe(1);
    expect(sqsMock.commandCalls(SendMessageBatchCommand)).toHaveLength(2);
  });
});

describe('the notifier fanning one event out to many subscriptions', () => {
  let crowded: TestTable;
  let many: SubscriptionRepository;
  const ids = Array.from({ length: 100 }, (_, i) => `sub-${String(i).padStart(3, '0')}`);
  beforeAll(async () => {
    crowded = await createTestTable('notifier-fan-out');
    many = new SubscriptionRepository({ db: crowded.doc, tableName: crowded.tableName });
    for (const id of ids) await many.create(subscription(id, {}));
  }, 60_000);
  afterAll(async () => {
    await crowded?.drop();
  });

  it('queues and records all 100 deliveries, several batches at a time but never more than 5', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    sqsMock.on(SendMessageBatchCommand).callsFake(async (input: { Entries: { Id: string }[] }) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      // Held open a moment, so that batches sent together overlap here as they would in SQS.
      await new Promise((resolve) => setTimeout(resolve, 200));
      inFlight--;
      return acceptAll(input);
    });
    const [event] = eventsFromRecord(
      milestoneInsert('zhejiang', { value: 3, asOf: '2024-06-30' }, null, 'n-9'),
    );
    if (!event) throw new Error('no event');

    const result = await createNotifier({
      subscriptions: many,
      sqs,
      queueUrl: 'http://queue.local/deliveries',
      now: () => NOW,
    })(envelope(event));

    expect(result).toMatchObject({ matched: 100, queued: 100 });
    expect(queuedFor()).toEqual(ids);
    expect(sqsMock.commandCalls(SendMessageBatchCommand)).toHaveLength(10);
    // Ten batches, so a bound below ten shows.
    expect(BATCHES_IN_FLIGHT).toBe(5);
    expect(mostInFlight).toBeGreaterThan(1);
    expect(mostInFlight).toBeLessThanOrEqual(BATCHES_IN_FLIGHT);
    const logged = await Promise.all(ids.map((id) => many.listDeliveries(id, 10)));
    expect(logged.map((deliveries) => deliveries.map((d) => [d.eventId, d.enqueuedAt]))).toEqual(
      ids.map(() => [[event.detail.eventId, NOW.toISOString()]]),
    );
  });
});
