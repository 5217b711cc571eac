/**
 * Replays on DynamoDB Local: the route answers at once, the worker reads the event log a page at
 * a time from the replay queue (kept in memory here), and neither a redelivered page message nor
 * a crash in the middle of a page counts or sends anything twice.
 */
import {
  SendMessageBatchCommand,
  SendMessageCommand,
  type SendMessageCommandInput,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '../../functions/domain/provinces.js';
import type { DomainEvent } from '../../functions/events/catalogue.js';
import { eventsFromRecord } from '../../functions/events/from-stream.js';
import { deliveryLeaseSeconds } from '../../functions/events/plumbing.js';
import { createCreateSubscriptionHandler } from '../../functions/handlers/create-subscription.js';
import { createDeleteSubscriptionHandler } from '../../functions/handlers/delete-subscription.js';
import { createGetReplayHandler } from '../../functions/handlers/get-replay.js';
import { createListSubscriptionsHandler } from '../../functions/handlers/list-subscriptions.js';
import {
  createReplaySubscriptionHandler,
  FIRST_PAGE_NOT_QUEUED,
} from '../../functions/handlers/replay-subscription.js';
import { METRIC } from '../../functions/observability/metric-names.js';
import type { DeliveryMessage } from '../../functions/services/enqueue-deliveries.js';
import type { ReplayPageMessage } from '../../functions/services/replay-pages.js';
import { QueryCommand } from '../../functions/storage/document-client.js';
import { EventRepository } from '../../functions/storage/event-repository.js';
import { ReplayRepository, type StoredReplay } from '../../functions/storage/replay-repository.js';
import { deliveriesPk, SubscriptionRepository } from '../../functions/storage/subscription-repository.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { httpEvent, lambdaContext, subscriptionFixture } from '../support/fixtures.js';
import { recordingMetrics } from '../support/metrics.js';
import { memoryReplayQueue, replayWorkerFor } from '../support/replay-queue.js';
import { milestoneInsert } from '../support/stream-records.js';
import { subscriptionRoutes } from '../support/subscription-routes.js';

const NOW = new Date('2024-12-02T00:00:00.000Z');
const LEASE_SECONDS = deliveryLeaseSeconds();
let table: TestTable;
const routes = subscriptionRoutes();
const { sqsMock } = routes;
let replayQueue: ReturnType<typeof memoryReplayQueue>;
let metrics = recordingMetrics();

beforeAll(async () => {
  table = await createTestTable('subscription-replay');
});
afterAll(async () => {
  await table?.drop();
});
/** Event ids of every delivery message the delivery queue took, in order, repeats included. */
let delivered: string[] = [];
const record = (messages: DeliveryMessage[]) => {
  delivered.push(...messages.map((message) => message.event.detail.eventId));
};

beforeEach(() => {
  sqsMock.reset();
  delivered = [];
  routes.acceptDeliveries(record);
  replayQueue = memoryReplayQueue(sqsMock);
  metrics = recordingMetrics();
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

const deps = () => routes.dependencies(table.doc, table.tableName, NOW, { metrics: metrics.metrics });
const subscriptions = () => new SubscriptionRepository(deps());
const worker = (pageSize = 10) => replayWorkerFor(deps(), { pageSize });

const [template] = eventsFromRecord(milestoneInsert('anhui', { value: 1, asOf: '2024-06-20' }, null, 'tpl'));
/** `count` logged events of a project of their own, one a minute on 2024-11-20: each test matches only its own. */
const logEvents = async (projectId: string, count: number): Promise<DomainEvent[]> => {
  if (!template) throw new Error('no template event');
  const events = Array.from(
    { length: count },
    (_, i) =>
      ({
        ...template,
        detail: {
          ...template.detail,
          projectId,
          eventId: `${projectId}-event-${String(i).padStart(4, '0')}`,
          occurredAt: new Date(Date.UTC(2024, 10, 20, 0, i)).toISOString(),
        },
      }) as DomainEvent,
  );
  await new EventRepository(deps()).logEvents(events);
  return events;
};

/** An active subscription of `role`'s office to one project's events. */
const subscriptionTo = async (projectId: string, role: Role = 'jiangsu') => {
  const subscription = subscriptionFixture(`sub-${projectId}`, {
    owner: { subject: `user-${role}`, username: `${role}-office`, role },
    projectIds: [projectId],
  });
  await subscriptions().create(subscription);
  return subscription;
};

const call = async (
  handler: ReturnType<typeof createGetReplayHandler>,
  options: Parameters<typeof httpEvent>[0],
) => {
  const result = await handler(httpEvent(options), lambdaContext());
  return { ...result, json: result.body ? JSON.parse(result.body) : undefined };
};

const startReplay = (subscriptionId: string, options: { role?: Role; key?: string; since?: string } = {}) =>
  call(createReplaySubscriptionHandler(deps()), {
    method: 'POST',
    path: `/subscriptions/${subscriptionId}/replay`,
    pathParameters: { subscriptionId },
    role: options.role ?? 'jiangsu',
    body: { since: options.since ?? '2024-11-01T00:00:00Z' },
    ...(options.key ? { headers: { 'idempotency-key': options.key } } : {}),
  });

const replayOf = (subscriptionId: string, replayId: string, role: Role = 'jiangsu') =>
  call(createGetReplayHandler(deps()), {
    path: `/subscriptions/${subscriptionId}/replays/${replayId}`,
    pathParameters: { subscriptionId, replayId },
    role,
  });

const deliveredEventIds = (): string[] => [...delivered];

/** Every replay stored for the subscription, as the table holds it (the API has no list of them). */
const storedReplays = async (subscriptionId: string) => {
  const result = await table.doc.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :replay)',
      ExpressionAttributeValues: { ':pk': deliveriesPk(subscriptionId), ':replay': 'REPLAY#' },
      ConsistentRead: true,
    }),
  );
  return (result.Items ?? []) as StoredReplay[];
};

describe('a replay', () => {
  it('reads the log a page per message until done, and queues each matched event once', async () => {
    const events = await logEvents('paging-2024', 25);
    const subscription = await subscriptionTo('paging-2024');

    const started = await startReplay(subscription.id);
    expect(started.statusCode).toBe(202);
    expect(replayQueue.waiting).toHaveLength(1);

    expect(await replayQueue.next(worker())).toBe(true);
    const afterOne = await replayOf(subscription.id, started.json.id);
    expect(afterOne.json).toMatchObject({ state: 'running', pages: 1, counts: { matched: 10, queued: 10 } });

    // Two more pages, and one that finds the end of the log.
    expect(await replayQueue.drain(worker())).toBe(3);
    const done = await replayOf(subscription.id, started.json.id);
    expect(done.json).toMatchObject({
      state: 'done',
      pages: 4,
      error: null,
      counts: { matched: 25, queued: 25, skippedAlreadyPending: 0, stuckRequeued: 0 },
    });
    expect(deliveredEventIds().sort()).toEqual(events.map((e) => e.detail.eventId));
  });

  it('stores the replay, queued, before it queues its first page, and holds back no page', async () => {
    await logEvents('first-page-2024', 15);
    const subscription = await subscriptionTo('first-page-2024');
    // The queue notes in which state each page's replay is stored the moment the page is sent.
    const sent: { input: SendMessageCommandInput; storedState: string | undefined }[] = [];
    sqsMock.on(SendMessageCommand).callsFake(async (input: SendMessageCommandInput) => {
      const page = JSON.parse(input.MessageBody ?? '') as ReplayPageMessage;
      const stored = await new ReplayRepository(deps()).get(page.subscriptionId, page.replayId);
      sent.push({ input, storedState: stored?.state });
      replayQueue.waiting.push({ body: input.MessageBody ?? '', receiveCount: 0, id: `page-${sent.length}` });
      return { MessageId: `page-${sent.length}` };
    });

    const started = await startReplay(subscription.id);
    expect(started.statusCode).toBe(202);
    // A page read before its replay is stored would wait out a whole visibility timeout.
    expect(sent.map((page) => page.storedState)).toEqual(['queued']);

    // The log holds the other tests' events too: at least two pages of 10.
    const pages = await replayQueue.drain(worker());
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(sent).toHaveLength(pages);
    expect(sent.slice(1).map((page) => page.storedState)).toEqual(Array(pages - 1).fill('running'));
    expect(sent.filter((page) => page.input.DelaySeconds !== undefined)).toEqual([]);
    expect((await replayOf(subscription.id, started.json.id)).json).toMatchObject({
      state: 'done',
      counts: { matched: 15, queued: 15 },
    });
  });

  it('is failed, and its key freed, when the replay queue refuses its first page: the 503 may be retried with the key', async () => {
    await logEvents('refused-2024', 4);
    const subscription = await subscriptionTo('refused-2024');
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'RequestThrottled',
      $metadata: { httpStatusCode: 400 },
    });
    let sends = 0;
    sqsMock.on(SendMessageCommand).callsFake((input: SendMessageCommandInput) => {
      if (++sends === 1) throw throttled;
      replayQueue.waiting.push({ body: input.MessageBody ?? '', receiveCount: 0, id: `later-${sends}` });
      return { MessageId: `later-${sends}` };
    });

    const refused = await startReplay(subscription.id, { key: 'refused-key' });
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(replayQueue.waiting).toHaveLength(0);
    // Nothing is left queued with no page to run it: the replay the request stored is failed.
    const [abandoned, ...others] = await storedReplays(subscription.id);
    expect(others).toEqual([]);
    expect(abandoned).toMatchObject({ state: 'failed', pages: 0, error: FIRST_PAGE_NOT_QUEUED });

    // The same key again is a new attempt, not the stored answer of a replay that never ran.
    const retried = await startReplay(subscription.id, { key: 'refused-key' });
    expect(retried.statusCode).toBe(202);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(retried.json.id).not.toBe(abandoned?.id);
    await replayQueue.drain(worker());
    expect((await replayOf(subscription.id, retried.json.id)).json).toMatchObject({
      state: 'done',
      counts: { matched: 4, queued: 4 },
    });
    expect((await startReplay(subscription.id, { key: 'refused-key' })).headers['idempotent-replayed']).toBe(
      'true',
    );
  });

  it('keeps a replay whose first page the queue took although the send failed, and its key', async () => {
    await logEvents('taken-2024', 3);
    const subscription = await subscriptionTo('taken-2024');
    // The queue took the page, but the answer was lost: the worker runs it before the request learns.
    let sends = 0;
    sqsMock.on(SendMessageCommand).callsFake(async (input: SendMessageCommandInput) => {
      replayQueue.waiting.push({ body: input.MessageBody ?? '', receiveCount: 0, id: `taken-${++sends}` });
      if (sends > 1) return { MessageId: `taken-${sends}` };
      await replayQueue.next(worker());
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    });

    const answered = await startReplay(subscription.id, { key: 'taken-key' });
    expect(answered.statusCode).toBe(503);
    await replayQueue.drain(worker());
    const [replay, ...others] = await storedReplays(subscription.id);
    expect(others).toEqual([]);
    expect(replay).toMatchObject({ state: 'done', error: null, counts: { matched: 3, queued: 3 } });
    // The key still answers with that replay: a retry does not start a second one.
    const retried = await startReplay(subscription.id, { key: 'taken-key' });
    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect(retried.json.id).toBe(replay?.id);
  });

  it('drops a page of a replay that is not stored at its first receive: it never will be', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const orphan: ReplayPageMessage = { subscriptionId: 'sub-gone', replayId: 'never-stored', page: 0 };
    replayQueue.waiting.push({ body: JSON.stringify(orphan), receiveCount: 0, id: 'orphan' });

    // Not received again and again until its last attempt, each after a whole visibility timeout.
    expect(await replayQueue.drain(worker())).toBe(1);
    expect(replayQueue.waiting).toEqual([]);
  });

  it('counts a page once when its message is delivered twice', async () => {
    await logEvents('duplicate-2024', 15);
    const subscription = await subscriptionTo('duplicate-2024');
    const started = await startReplay(subscription.id);
    const first = replayQueue.waiting[0];
    if (!first) throw new Error('no page message');
    // SQS delivers at least once: the first page's message arrives again after it was read.
    await replayQueue.next(worker());
    replayQueue.waiting.push({ ...first, id: 'duplicate', receiveCount: 0 });

    await replayQueue.drain(worker());

    const done = await replayOf(subscription.id, started.json.id);
    // (The log holds other tests' events too: how many pages it took is not this test's business.)
    expect(done.json).toMatchObject({ state: 'done', counts: { matched: 15, queued: 15 } });
    expect(new Set(deliveredEventIds()).size).toBe(15);
    expect(deliveredEventIds()).toHaveLength(15);
  });

  it('resumes a page that failed half-way without counting or sending anything twice', async () => {
    await logEvents('crash-2024', 30);
    const subscription = await subscriptionTo('crash-2024');
    const started = await startReplay(subscription.id);
    // The delivery queue takes the first batch of ten, then fails: the page is left half done.
    let batches = 0;
    routes.acceptDeliveries((messages) => {
      batches++;
      if (batches === 2) throw Object.assign(new Error('boom'), { name: 'InternalError' });
      record(messages);
    });

    await replayQueue.drain(worker(20));

    expect(batches).toBeGreaterThan(3);
    const done = await replayOf(subscription.id, started.json.id);
    expect(done.json).toMatchObject({
      state: 'done',
      counts: { matched: 30, queued: 30, skippedAlreadyPending: 0, stuckRequeued: 0 },
    });
    expect(new Set(deliveredEventIds()).size).toBe(30);
    expect(deliveredEventIds()).toHaveLength(30);
  });

  it('does not send again what is queued or being sent, and requeues what is stuck past its lease', async () => {
    const events = await logEvents('pending-2024', 6);
    const subscription = await subscriptionTo('pending-2024');
    const open = async (event: DomainEvent, at: Date) =>
      subscriptions().openDelivery(
        {
          subscriptionId: subscription.id,
          eventId: event.detail.eventId,
          eventType: event.detailType,
          occurredAt: event.detail.occurredAt,
        },
        at,
      );
    const [queuedNow, sendingNow, lostQueued, lostSending] = events;
    if (!queuedNow || !sendingNow || !lostQueued || !lostSending) throw new Error('too few events');
    const recently = new Date(NOW.getTime() - 60_000);
    const beforeLease = new Date(NOW.getTime() - (LEASE_SECONDS + 60) * 1000);
    await open(queuedNow, recently);
    await open(sendingNow, recently);
    await subscriptions().beginAttempt(
      subscription.id,
      sendingNow.detail.occurredAt,
      sendingNow.detail.eventId,
      recently,
      15,
    );
    await open(lostQueued, beforeLease);
    await open(lostSending, beforeLease);
    await subscriptions().beginAttempt(
      subscription.id,
      lostSending.detail.occurredAt,
      lostSending.detail.eventId,
      beforeLease,
      15,
    );

    const started = await startReplay(subscription.id);
    await replayQueue.drain(worker());

    expect((await replayOf(subscription.id, started.json.id)).json).toMatchObject({
      state: 'done',
      counts: { matched: 6, queued: 2, skippedAlreadyPending: 2, stuckRequeued: 2 },
    });
    expect(deliveredEventIds().sort()).toEqual(
      [lostQueued, lostSending, events[4], events[5]].map((e) => e?.detail.eventId).sort(),
    );
  });

  it('is marked failed with the reason when its subscription is deleted before it ends', async () => {
    await logEvents('deleted-2024', 12);
    const subscription = await subscriptionTo('deleted-2024');
    const started = await startReplay(subscription.id);
    await replayQueue.next(worker());
    await subscriptions().delete(subscription, 'by its office', NOW);

    await replayQueue.drain(worker());

    // The API no longer shows a deleted subscription's replays; the table still has it.
    expect(await new ReplayRepository(deps()).get(subscription.id, started.json.id)).toMatchObject({
      state: 'failed',
      pages: 1,
      error: 'the subscription was deleted',
    });
  });

  it('is marked failed when a page fails at its last attempt', async () => {
    await logEvents('broken-2024', 3);
    const subscription = await subscriptionTo('broken-2024');
    const started = await startReplay(subscription.id);
    sqsMock.on(SendMessageBatchCommand).rejects(Object.assign(new Error('boom'), { name: 'InternalError' }));

    await replayQueue.drain(worker());

    const failed = await replayOf(subscription.id, started.json.id);
    expect(failed.json).toMatchObject({ state: 'failed', pages: 0 });
    expect(failed.json.error).toMatch(/^page 0 failed 5 times: .*boom/);
    expect(replayQueue.waiting).toHaveLength(0);
  });

  it("is shown to its subscription's owner and the coordinator only", async () => {
    const subscription = await subscriptionTo('visible-2024');
    const started = await startReplay(subscription.id);
    expect((await replayOf(subscription.id, started.json.id, 'coordinator')).statusCode).toBe(200);
    expect((await replayOf(subscription.id, started.json.id, 'anhui')).statusCode).toBe(404);
    expect((await replayOf(subscription.id, 'no-such-replay')).statusCode).toBe(404);
  });
});

describe('Idempotency-Key on a replay', () => {
  it('answers a retry with the first answer and starts no second replay', async () => {
    const subscription = await subscriptionTo('retry-2024');
    const first = await startReplay(subscription.id, { key: 'replay-key-1' });
    const again = await startReplay(subscription.id, { key: 'replay-key-1' });

    expect(first.statusCode).toBe(202);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(again.statusCode).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(replayQueue.waiting).toHaveLength(1);
    expect(metrics.totals()).toEqual({ [METRIC.idempotentReplays]: 1 });
  });

  it('refuses the same key for a different request, and keeps keys per office', async () => {
    const subscription = await subscriptionTo('reuse-2024');
    await startReplay(subscription.id, { key: 'replay-key-2' });
    const different = await startReplay(subscription.id, {
      key: 'replay-key-2',
      since: '2024-11-15T00:00:00Z',
    });
    expect(different.statusCode).toBe(409);
    expect(different.json.type).toBe('urn:livelihood-tracker:problem:idempotency-key-reused');

    // The coordinator's office has keys of its own: the same key starts its own replay.
    const coordinator = await startReplay(subscription.id, { key: 'replay-key-2', role: 'coordinator' });
    expect(coordinator.statusCode).toBe(202);
    expect(coordinator.headers['idempotent-replayed']).toBeUndefined();
    expect(replayQueue.waiting).toHaveLength(2);
    expect(metrics.totals()).toEqual({});
  });
});

describe('Idempotency-Key on POST /subscriptions', () => {
  const create = (role: Role, key: string, body: unknown) =>
    call(createCreateSubscriptionHandler(deps()), {
      method: 'POST',
      path: '/subscriptions',
      role,
      headers: { 'idempotency-key': key },
      body,
    });
  const listed = async (role: Role) =>
    (await call(createListSubscriptionsHandler(deps()), { path: '/subscriptions', role })).json.subscriptions;

  it('answers a retry with the first answer but not its secret, which only the first shows, and makes no second subscription', async () => {
    const body = { url: 'https://hooks.example.gov.cn/zj', description: '浙江' };
    const first = await create('zhejiang', 'sub-key-1', body);
    const again = await create('zhejiang', 'sub-key-1', {
      description: '浙江',
      url: 'https://hooks.example.gov.cn/zj',
    });

    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    // The secret is sealed, and only the deliverer may open it: the repeat cannot show it again.
    expect(first.json.secret).toMatch(/^whsec_/);
    expect(again.json).toEqual({ ...first.json, secret: undefined });
    expect(again.json).not.toHaveProperty('secret');
    expect(again.headers.location).toBe(`/subscriptions/${first.json.id}`);
    expect(await listed('zhejiang')).toHaveLength(1);
    expect(metrics.totals()).toEqual({ [METRIC.idempotentReplays]: 1 });

    // Nothing stored under the key holds the secret.
    const stored = await table.doc.send(
      new (await import('../../functions/storage/document-client.js')).ScanCommand({
        TableName: table.tableName,
      }),
    );
    const records = (stored.Items ?? []).filter((item) => item.entity === 'IdempotencyRecord');
    expect(records.length).toBeGreaterThan(0);
    expect(JSON.stringify(records)).not.toContain(first.json.secret);
  });

  it('refuses the same key for a different subscription, or once the subscription is deleted', async () => {
    const first = await create('shanghai', 'sub-key-2', { url: 'https://hooks.example.gov.cn/sh' });
    const different = await create('shanghai', 'sub-key-2', { url: 'https://hooks.example.gov.cn/other' });
    expect(different.statusCode).toBe(409);
    expect(different.json.type).toBe('urn:livelihood-tracker:problem:idempotency-key-reused');

    await call(createDeleteSubscriptionHandler(deps()), {
      method: 'DELETE',
      path: `/subscriptions/${first.json.id}`,
      pathParameters: { subscriptionId: first.json.id },
      role: 'shanghai',
    });
    const afterDelete = await create('shanghai', 'sub-key-2', { url: 'https://hooks.example.gov.cn/sh' });
    expect(afterDelete.statusCode).toBe(409);
    expect(await listed('shanghai')).toHaveLength(0);
  });

  it('lets concurrent requests with one key make one subscription', async () => {
    const body = { url: 'https://hooks.example.gov.cn/ah' };
    const answers = await Promise.all(Array.from({ length: 4 }, () => create('anhui', 'sub-key-3', body)));
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.json.id)).size).toBe(1);
    expect(await listed('anhui')).toHaveLength(1);
  });
});
