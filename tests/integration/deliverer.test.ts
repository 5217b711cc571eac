import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StoredSubscription } from '../../functions/domain/subscription.js';
import { eventsFromRecord } from '../../functions/events/from-stream.js';
import { DELIVERY_QUEUE } from '../../functions/events/plumbing.js';
import { createDeliverer, retryDelaySeconds } from '../../functions/handlers/deliverer.js';
import { createRotateSubscriptionSecretHandler } from '../../functions/handlers/rotate-subscription-secret.js';
import type { Logger } from '../../functions/observability/logger.js';
import { METRIC } from '../../functions/observability/metric-names.js';
import { type DeliveryMessage, deliveryOpening } from '../../functions/services/enqueue-deliveries.js';
import { SubscriptionRepository } from '../../functions/storage/subscription-repository.js';
import { generateSecret, verify, WebhookVerificationError } from '../../functions/webhooks/signature.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { httpEvent, lambdaContext, subscriptionFixture } from '../support/fixtures.js';
import { capturingLogger } from '../support/log-lines.js';
import { recordingMetrics } from '../support/metrics.js';
import { testSecretBox } from '../support/secret-box.js';
import { milestoneInsert } from '../support/stream-records.js';
import { startWebhookSink } from '../support/webhook-sink.js';

const NOW = new Date('2024-12-02T00:00:00.000Z');
const SECRETS = testSecretBox();
let table: TestTable;
let subscriptions: SubscriptionRepository;
let sink: Awaited<ReturnType<typeof startWebhookSink>>;
const sqs = new SQSClient({
  region: 'ap-northeast-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
const sqsMock = mockClient(sqs);
let metrics = recordingMetrics();

beforeAll(async () => {
  table = await createTestTable('deliverer');
  subscriptions = new SubscriptionRepository({ db: table.doc, tableName: table.tableName });
});
afterAll(async () => {
  await table?.drop();
});
beforeEach(async () => {
  sqsMock.reset();
  sqsMock.on(ChangeMessageVisibilityCommand).resolves({});
  metrics = recordingMetrics();
  sink = await startWebhookSink();
});
afterEach(async () => {
  await sink.close();
});

let counter = 0;
/** A subscription stored as the create route stores it (its secret sealed), with the secret it was shown. */
const newSubscription = async (url = sink.url): Promise<StoredSubscription & { plainSecret: string }> => {
  counter++;
  const id = `sub-deliverer-${counter}`;
  const plainSecret = generateSecret();
  const subscription = subscriptionFixture(
    id,
    {
      owner: { subject: 'user-anhui', username: 'anhui-office', role: 'anhui' },
      url,
      secret: await SECRETS.seal(plainSecret, { subscriptionId: id }),
    },
    NOW.toISOString(),
  );
  await subscriptions.create(subscription);
  return { ...subscription, plainSecret };
};

/** A queued delivery, as the notifier leaves it: an open record and an SQS message. */
const queued = async (
  subscription: StoredSubscription,
  receiveCount = 1,
  id = `m-${counter}`,
  correlationId?: string,
): Promise<SQSRecord> => {
  const [read] = eventsFromRecord(
    milestoneInsert('anhui', { value: 7, asOf: '2024-06-30', note: '合肥' }, null, id),
  );
  if (!read) throw new Error('no event');
  const event = correlationId === undefined ? read : { ...read, detail: { ...read.detail, correlationId } };
  await subscriptions.openDelivery(deliveryOpening(subscription.id, event), NOW);
  return {
    messageId: `msg-${id}-${receiveCount}`,
    receiptHandle: `rh-${id}-${receiveCount}`,
    body: JSON.stringify({ subscriptionId: subscription.id, event } satisfies DeliveryMessage),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: String(NOW.getTime()),
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: String(NOW.getTime()),
    },
    messageAttributes: {},
    md5OfBody: 'x',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:ap-northeast-1:123456789012:deliveries',
    awsRegion: 'ap-northeast-1',
  };
};

const deliverer = (now = () => new Date(), log?: Logger) =>
  createDeliverer({
    subscriptions,
    secrets: SECRETS,
    sqs,
    queueUrl: 'http://queue.local/deliveries',
    now,
    allowLocalhost: true,
    metrics: metrics.metrics,
    ...(log === undefined ? {} : { log }),
  });

const deliveriesOf = (subscription: StoredSubscription) => subscriptions.listDeliveries(subscription.id, 10);

describe('the deliverer', () => {
  it('posts a Standard Webhooks request the subscriber can verify with its secret', async () => {
    const subscription = await newSubscription();
    const record = await queued(subscription);

    const result = await deliverer()({ Records: [record] });

    expect(result.batchItemFailures).toEqual([]);
    const [hook] = sink.received;
    const { event } = JSON.parse(record.body) as DeliveryMessage;
    expect(hook?.headers['webhook-id']).toBe(event.detail.eventId);
    expect(() =>
      verify({ secret: subscription.plainSecret, headers: hook?.headers ?? {}, body: hook?.body ?? '' }),
    ).not.toThrow();
    expect(String(hook?.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(JSON.parse(hook?.body ?? '{}')).toEqual({
      type: 'MilestoneRecorded',
      timestamp: event.detail.occurredAt,
      data: event.detail,
    });
    expect((await deliveriesOf(subscription))[0]).toMatchObject({
      status: 'delivered',
      attempts: 1,
      lastStatus: 204,
    });
  });

  it('counts a 2xx as a delivery succeeded, with the milliseconds from the event to the answer', async () => {
    const subscription = await newSubscription();
    const record = await queued(subscription);
    const { event } = JSON.parse(record.body) as DeliveryMessage;
    const answeredAt = new Date(NOW.getTime() + 1_500);

    await deliverer(() => answeredAt)({ Records: [record] });

    expect(metrics.recorded).toEqual([
      { name: METRIC.deliveriesSucceeded, value: 1, dimensions: {} },
      {
        name: METRIC.deliveryLatency,
        value: answeredAt.getTime() - Date.parse(event.detail.occurredAt),
        dimensions: {},
      },
    ]);
  });

  it('signs with a plain-text secret stored before secrets were sealed', async () => {
    const legacy = { ...(await newSubscription()), id: `sub-deliverer-legacy-${counter}` };
    const plainSecret = generateSecret();
    await subscriptions.create({ ...legacy, secret: plainSecret });

    await deliverer()({ Records: [await queued({ ...legacy, secret: plainSecret }, 1, 'legacy')] });

    const [hook] = sink.received;
    expect(() =>
      verify({ secret: plainSecret, headers: hook?.headers ?? {}, body: hook?.body ?? '' }),
    ).not.toThrow();
  });

  it('signs with both secrets for 24 hours after a rotation, then with the new one only', async () => {
    const subscription = await newSubscription();
    const rotatedAt = new Date();
    const rotate = createRotateSubscriptionSecretHandler({
      db: table.doc,
      tableName: table.tableName,
      now: () => rotatedAt,
      sealer: SECRETS,
    });
    const rotated = await rotate(
      httpEvent({
        method: 'POST',
        path: `/subscriptions/${subscription.id}/rotate-secret`,
        pathParameters: { subscriptionId: subscription.id },
        role: 'anhui',
        subject: 'user-anhui',
      }),
      lambdaContext(),
    );
    expect(rotated.statusCode).toBe(200);
    const { secret: newSecret, previousSecretExpiresAt } = JSON.parse(rotated.body) as {
      secret: string;
      previousSecretExpiresAt: string;
    };
    expect(newSecret).not.toBe(subscription.plainSecret);
    expect(previousSecretExpiresAt).toBe(new Date(rotatedAt.getTime() + 24 * 60 * 60 * 1000).toISOString());

    // Within the day: a receiver still holding the old secret and one with the new one both verify.
    await deliverer(() => rotatedAt)({ Records: [await queued(subscription, 1, 'during-rotation')] });
    const [during] = sink.received;
    const received = { headers: during?.headers ?? {}, body: during?.body ?? '', now: rotatedAt };
    expect(String(during?.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(() => verify({ secret: subscription.plainSecret, ...received })).not.toThrow();
    expect(() => verify({ secret: newSecret, ...received })).not.toThrow();

    // A day later the old secret signs no more.
    const dayLater = new Date(rotatedAt.getTime() + 24 * 60 * 60 * 1000 + 1000);
    await deliverer(() => dayLater)({ Records: [await queued(subscription, 1, 'after-rotation')] });
    const after = sink.received[1];
    const later = { headers: after?.headers ?? {}, body: after?.body ?? '', now: dayLater };
    expect(String(after?.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(() => verify({ secret: newSecret, ...later })).not.toThrow();
    expect(() => verify({ secret: subscription.plainSecret, ...later })).toThrow(WebhookVerificationError);
  });

  it('takes no attempt when the secret cannot be opened, so the next receive sends at once', async () => {
    const subscription = await newSubscription();
    const record = await queued(subscription, 1, 'kms-down');
    let kmsDown = true;
    const flaky = createDeliverer({
      subscriptions,
      secrets: {
        open: async (sealed, context) => {
          if (kmsDown) throw new Error('KMS is unavailable');
          return SECRETS.open(sealed, context);
        },
      },
      sqs,
      queueUrl: 'http://queue.local/deliveries',
      now: () => new Date(),
      allowLocalhost: true,
    });

    expect((await flaky({ Records: [record] })).batchItemFailures).toEqual([
      { itemIdentifier: record.messageId },
    ]);
    expect(sink.received).toHaveLength(0);
    expect((await deliveriesOf(subscription))[0]).toMatchObject({ status: 'queued', attempts: 0 });

    kmsDown = false;
    expect((await flaky({ Records: [{ ...record, messageId: 'next-receive' }] })).batchItemFailures).toEqual(
      [],
    );
    expect(sink.received).toHaveLength(1);
    expect((await deliveriesOf(subscription))[0]).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('posts once when the same message arrives twice', async () => {
    const subscription = await newSubscription();
    const record = await queued(subscription);
    await deliverer()({ Records: [record] });
    await deliverer()({ Records: [{ ...record, messageId: 'duplicate' }] });
    expect(sink.received).toHaveLength(1);
  });

  it('leaves a copy that arrives while another attempt holds the delivery for later, without posting', async () => {
    const subscription = await newSubscription();
    const record = await queued(subscription);
    const { event } = JSON.parse(record.body) as DeliveryMessage;
    await subscriptions.beginAttempt(
      subscription.id,
      event.detail.occurredAt,
      event.detail.eventId,
      new Date(),
      60,
    );

    const result = await deliverer()({ Records: [record] });

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(sink.received).toHaveLength(0);
  });

  it('waits the scheduled delay, or longer when the subscriber asks with Retry-After, before trying again', async () => {
    sink.answerWith(() => ({ status: 503, headers: { 'retry-after': '7200' } }));
    const subscription = await newSubscription();
    const record = await queued(subscription);

    const result = await deliverer()({ Records: [record] });

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(sqsMock.commandCalls(ChangeMessageVisibilityCommand)[0]?.args[0].input).toMatchObject({
      ReceiptHandle: record.receiptHandle,
      VisibilityTimeout: 7200,
    });
    expect((await deliveriesOf(subscription))[0]).toMatchObject({
      status: 'retrying',
      lastStatus: 503,
      lastError: 'HTTP 503',
    });
    expect(metrics.totals()).toEqual({ [METRIC.deliveriesFailed]: 1 });
  });

  it('grows the delay with each attempt, stays within what SQS allows and ends before the queue would expire the message', () => {
    const HOUR = 3600;
    /** SQS refuses a visibility timeout over 12 hours. */
    const SQS_MAX_VISIBILITY = 12 * HOUR;
    // Receive counts past the last attempt included: a redelivered message must not wait less.
    const delays = Array.from({ length: 14 }, (_, i) => retryDelaySeconds(i + 1, undefined, 1));

    // 1 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h, then 8 h.
    expect(delays.slice(0, 9)).toEqual([60, 300, 900, 1800, HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR, 8 * HOUR]);
    expect(DELIVERY_QUEUE.maxReceiveCount).toBe(10);
    for (const [i, delay] of delays.entries()) {
      expect(delay, `attempt ${i + 1}`).toBeGreaterThanOrEqual(delays[i - 1] ?? 0);
      expect(delay, `attempt ${i + 1}`).toBeLessThanOrEqual(SQS_MAX_VISIBILITY);
    }
    expect(delays.slice(9)).toEqual([8 * HOUR, 8 * HOUR, 8 * HOUR, 8 * HOUR, 8 * HOUR]);
    // The nine waits between ten attempts: nearly 24 hours in all (more than 20).
    expect(delays.slice(0, 9).reduce((a, b) => a + b, 0)).toBe(85_860);

    // Retry-After lengthens a wait, never shortens it, and is capped below SQS's limit.
    expect(retryDelaySeconds(3, 10, 1)).toBe(900);
    expect(retryDelaySeconds(1, 7200, 1)).toBe(7200);
    expect(retryDelaySeconds(1, 999_999, 1)).toBe(12 * HOUR - 300);
    const longest = retryDelaySeconds(1, 999_999, 1) * (DELIVERY_QUEUE.maxReceiveCount - 1);
    expect(longest).toBeLessThan(14 * 24 * HOUR);
    expect(DELIVERY_QUEUE.retentionDays).toBe(14);
  });

  it('records the move to the dead-letter queue after the last attempt', async () => {
    sink.answerWith(() => ({ status: 500 }));
    const subscription = await newSubscription();
    const record = await queued(subscription, DELIVERY_QUEUE.maxReceiveCount);

    const result = await deliverer()({ Records: [record] });

    expect(result.batchItemFailures).toHaveLength(1);
    expect(sqsMock.commandCalls(ChangeMessageVisibilityCommand)[0]?.args[0].input.VisibilityTimeout).toBe(0);
    expect((await deliveriesOf(subscription))[0]).toMatchObject({
      status: 'dead-lettered',
      lastError: expect.stringContaining('dead-letter queue'),
    });
    expect(metrics.totals()).toEqual({ [METRIC.deliveriesFailed]: 1, [METRIC.deliveriesDeadLettered]: 1 });
  });

  it("logs every attempt with the delivery's ids and the correlation id of the report behind it, which the delivery log keeps", async () => {
    let answers = 0;
    sink.answerWith(() => (++answers === 1 ? { status: 503 } : { status: 204 }));
    const subscription = await newSubscription();
    const { log, lines } = capturingLogger();
    const first = await queued(subscription, 1, `m-corr-${counter}`, 'corr-report-1');
    await deliverer(undefined, log)({ Records: [first] }, lambdaContext());
    await deliverer(undefined, log)({ Records: [{ ...first, messageId: 'msg-again' }] }, lambdaContext());

    const ids = {
      requestId: lambdaContext().awsRequestId,
      subscriptionId: subscription.id,
      eventId: JSON.parse(first.body).event.detail.eventId,
      detailType: 'MilestoneRecorded',
      projectId: 'rail-2024',
      correlationId: 'corr-report-1',
    };
    expect(lines).toEqual([
      expect.objectContaining({
        ...ids,
        level: 'warn',
        message: 'webhook attempt failed; retrying',
        deliveryId: first.messageId,
        attempt: 1,
        status: 503,
      }),
      expect.objectContaining({
        ...ids,
        level: 'info',
        message: 'webhook delivered',
        deliveryId: 'msg-again',
        status: 204,
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain(sink.url);
    expect((await deliveriesOf(subscription))[0]).toMatchObject({
      status: 'delivered',
      correlationId: 'corr-report-1',
    });
  });

  it('disables the subscription when the subscriber answers 410 Gone', async () => {
    sink.answerWith(() => ({ status: 410 }));
    const subscription = await newSubscription();
    const result = await deliverer()({ Records: [await queued(subscription)] });
    expect(result.batchItemFailures).toEqual([]);
    expect(await subscriptions.get(subscription.id)).toMatchObject({ status: 'disabled' });
    expect(metrics.totals()).toEqual({ [METRIC.deliveriesFailed]: 1 });
  });

  it('keeps a deleted subscription deleted when a late answer is 410 Gone', async () => {
    const subscription = await newSubscription();
    await subscriptions.delete(subscription, 'by its owner', NOW);
    await subscriptions.disable(subscription.id, 'the subscriber answered 410 Gone', NOW);
    expect(await subscriptions.get(subscription.id)).toBeNull();
    expect((await subscriptions.list()).map((s) => s.id)).not.toContain(subscription.id);
  });

  it('never marks an already delivered delivery as dropped', async () => {
    const subscription = await newSubscription();
    const record = await queued(subscription);
    await deliverer()({ Records: [record] });
    await subscriptions.delete(subscription, 'test', NOW);

    await deliverer()({ Records: [{ ...record, messageId: 'late-copy' }] });

    expect((await deliveriesOf(subscription))[0]).toMatchObject({ status: 'delivered' });
  });

  it('drops deliveries of a deleted subscription without posting', async () => {
    const subscription = await newSubscription();
    const record = await queued(subscription);
    await subscriptions.delete(subscription, 'test', NOW);
    expect((await deliverer()({ Records: [record] })).batchItemFailures).toEqual([]);
    expect(sink.received).toHaveLength(0);
  });

  it("keeps one failing subscriber from holding up another's delivery in the same batch", async () => {
    const failing = await startWebhookSink(() => ({ status: 500 }));
    try {
      const bad = await newSubscription(failing.url);
      const good = await newSubscription();
      const result = await deliverer()({
        Records: [await queued(bad, 1, 'batch-a'), await queued(good, 1, 'batch-b')],
      });
      expect(result.batchItemFailures).toHaveLength(1);
      expect(sink.received).toHaveLength(1);
    } finally {
      await failing.close();
    }
  });
});
