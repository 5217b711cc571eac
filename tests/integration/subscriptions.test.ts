import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '../../functions/domain/provinces.js';
import { eventsFromRecord } from '../../functions/events/from-stream.js';
import { createCreateSubscriptionHandler } from '../../functions/handlers/create-subscription.js';
import { createDeleteSubscriptionHandler } from '../../functions/handlers/delete-subscription.js';
import { createGetReplayHandler } from '../../functions/handlers/get-replay.js';
import { createListDeliveriesHandler } from '../../functions/handlers/list-deliveries.js';
import { createListSubscriptionsHandler } from '../../functions/handlers/list-subscriptions.js';
import { createReplaySubscriptionHandler } from '../../functions/handlers/replay-subscription.js';
import { EventRepository } from '../../functions/storage/event-repository.js';
import { SubscriptionRepository } from '../../functions/storage/subscription-repository.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { httpEvent, lambdaContext } from '../support/fixtures.js';
import { memoryReplayQueue, replayWorkerFor } from '../support/replay-queue.js';
import { milestoneInsert } from '../support/stream-records.js';
import { subscriptionRoutes } from '../support/subscription-routes.js';

const NOW = new Date('2024-12-02T00:00:00.000Z');
let table: TestTable;
const routes = subscriptionRoutes();
const { sqsMock } = routes;

beforeAll(async () => {
  table = await createTestTable('subscriptions');
});
afterAll(async () => {
  await table?.drop();
});
beforeEach(() => {
  sqsMock.reset();
  routes.acceptDeliveries();
});

const deps = (allowLocalhost = true) =>
  routes.dependencies(table.doc, table.tableName, NOW, { allowLocalhost });

const call = async (
  handler: (
    event: ReturnType<typeof httpEvent>,
    context: ReturnType<typeof lambdaContext>,
  ) => Promise<{ statusCode: number; body: string; headers: Record<string, string> }>,
  options: Parameters<typeof httpEvent>[0],
) => {
  const result = await handler(httpEvent(options), lambdaContext());
  return { ...result, json: result.body ? JSON.parse(result.body) : undefined };
};

const subscribe = (role: Role, body: unknown, allowLocalhost = true) =>
  call(createCreateSubscriptionHandler(deps(allowLocalhost)), {
    method: 'POST',
    path: '/subscriptions',
    role,
    body,
  });

describe('subscriptions', () => {
  it('creates a subscription and shows its signing secret only in that response', async () => {
    const created = await subscribe('jiangsu', {
      url: 'http://localhost:9999/hooks',
      eventTypes: ['MilestoneRecorded'],
      projectIds: ['rail-2024'],
      description: '江苏省发改委',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json).toMatchObject({
      id: expect.any(String),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      owner: { role: 'jiangsu' },
      status: 'active',
    });

    const listed = await call(createListSubscriptionsHandler(deps()), {
      path: '/subscriptions',
      role: 'jiangsu',
    });
    expect(listed.json.subscriptions.map((s: { id: string }) => s.id)).toContain(created.json.id);
    expect(listed.body).not.toContain('whsec_');
  });

  it.each([
    ['plain http to a public host', 'http://example.com/hooks', false],
    ['a private address', 'https://10.1.2.3/hooks', false],
    ['the metadata address', 'https://169.254.169.254/latest', false],
    ['localhost outside the local stage', 'https://localhost/hooks', false],
  ])('refuses %s with 400 naming the url', async (_label, url, allowLocalhost) => {
    const result = await subscribe('anhui', { url }, allowLocalhost);
    expect(result.statusCode).toBe(400);
    expect(result.json.errors[0].field).toBe('url');
  });

  it('refuses a host name that resolves to a private address', async () => {
    const handler = createCreateSubscriptionHandler({
      ...deps(false),
      lookup: async () => [{ address: '192.168.1.5', family: 4 }],
    });
    const result = await call(handler, {
      method: 'POST',
      path: '/subscriptions',
      role: 'anhui',
      body: { url: 'https://hooks.example.gov.cn/x' },
    });
    expect(result.statusCode).toBe(400);
  });

  it('refuses unknown event types and repeated filters', async () => {
    const result = await subscribe(
      'anhui',
      { url: 'https://hooks.example.gov.cn/x', eventTypes: ['Nope', 'Nope'] },
      false,
    );
    expect(result.statusCode).toBe(400);
  });

  it("keeps offices out of each other's subscriptions; the coordinator sees and manages all", async () => {
    const mine = await subscribe('zhejiang', { url: 'https://hooks.example.gov.cn/zj' }, false);
    const id = mine.json.id as string;
    const path = { path: `/subscriptions/${id}`, pathParameters: { subscriptionId: id } };

    const otherList = await call(createListSubscriptionsHandler(deps()), {
      path: '/subscriptions',
      role: 'anhui',
    });
    expect(otherList.json.subscriptions.map((s: { id: string }) => s.id)).not.toContain(id);
    const coordinatorList = await call(createListSubscriptionsHandler(deps()), {
      path: '/subscriptions',
      role: 'coordinator',
    });
    expect(coordinatorList.json.subscriptions.map((s: { id: string }) => s.id)).toContain(id);

    const foreign = await call(createDeleteSubscriptionHandler(deps()), {
      method: 'DELETE',
      ...path,
      role: 'anhui',
    });
    expect(foreign.statusCode).toBe(404);
    const deleted = await call(createDeleteSubscriptionHandler(deps()), {
      method: 'DELETE',
      ...path,
      role: 'coordinator',
    });
    expect(deleted.statusCode).toBe(204);
    const again = await call(createListDeliveriesHandler(deps()), {
      ...path,
      path: `${path.path}/deliveries`,
      role: 'zhejiang',
    });
    expect(again.statusCode).toBe(404);
  });

  it("replays the subscription's logged events since a time, and only those it matches", async () => {
    const sub = await subscribe(
      'shanghai',
      { url: 'https://hooks.example.gov.cn/sh', provinces: ['shanghai'] },
      false,
    );
    const id = sub.json.id as string;
    const events = new EventRepository({ db: table.doc, tableName: table.tableName });
    const logged = [
      ...eventsFromRecord(milestoneInsert('shanghai', { value: 1, asOf: '2024-06-20' }, null, 'r1')),
      ...eventsFromRecord(milestoneInsert('anhui', { value: 1, asOf: '2024-06-20' }, null, 'r2')),
      ...eventsFromRecord(milestoneInsert('shanghai', { value: 2, asOf: '2024-06-21' }, null, 'r3')),
    ];
    await events.logEvents(logged);

    const replayQueue = memoryReplayQueue(sqsMock);
    const replay = await call(createReplaySubscriptionHandler(deps(false)), {
      method: 'POST',
      path: `/subscriptions/${id}/replay`,
      pathParameters: { subscriptionId: id },
      role: 'shanghai',
      body: { since: '2024-11-30T00:00:00Z' },
    });

    // Accepted at once: nothing is queued for delivery until the worker reads the log.
    expect(replay.statusCode).toBe(202);
    expect(replay.json).toMatchObject({
      subscriptionId: id,
      since: '2024-11-30T00:00:00Z',
      state: 'queued',
      counts: { matched: 0, queued: 0, skippedAlreadyPending: 0, stuckRequeued: 0 },
    });
    expect(replay.headers.location).toBe(`/subscriptions/${id}/replays/${replay.json.id}`);
    expect(sqsMock.commandCalls(SendMessageBatchCommand)).toHaveLength(0);

    await replayQueue.drain(replayWorkerFor(deps(false)));
    const status = await call(createGetReplayHandler(deps()), {
      path: replay.headers.location,
      pathParameters: { subscriptionId: id, replayId: replay.json.id },
      role: 'shanghai',
    });
    expect(status.json).toMatchObject({
      state: 'done',
      counts: { matched: 2, queued: 2, skippedAlreadyPending: 0, stuckRequeued: 0 },
    });
    const bodies = sqsMock
      .commandCalls(SendMessageBatchCommand)
      .flatMap((c) => c.args[0].input.Entries ?? []);
    expect(bodies.map((e) => JSON.parse(e.MessageBody ?? '{}').event.detail.milestoneId).sort()).toEqual([
      'r1',
      'r3',
    ]);

    const deliveries = await call(createListDeliveriesHandler(deps()), {
      path: `/subscriptions/${id}/deliveries`,
      pathParameters: { subscriptionId: id },
      role: 'shanghai',
    });
    expect(deliveries.json.deliveries).toHaveLength(2);
    expect(deliveries.json.deliveries[0]).toMatchObject({
      status: 'queued',
      attempts: 0,
      eventType: 'MilestoneRecorded',
    });
  });

  it('answers 503 with Retry-After when the replay queue is unavailable', async () => {
    const sub = await subscribe(
      'shanghai',
      { url: 'https://hooks.example.gov.cn/sh3', provinces: ['shanghai'] },
      false,
    );
    sqsMock.on(SendMessageCommand).rejects(
      Object.assign(new Error('Rate exceeded'), {
        name: 'RequestThrottled',
        $metadata: { httpStatusCode: 400 },
      }),
    );

    const result = await call(createReplaySubscriptionHandler(deps(false)), {
      method: 'POST',
      path: `/subscriptions/${sub.json.id}/replay`,
      pathParameters: { subscriptionId: sub.json.id },
      role: 'shanghai',
      body: { since: '2024-11-30T00:00:00Z' },
    });

    expect(result.statusCode).toBe(503);
    expect(result.headers['retry-after']).toBe('1');
    expect(result.json.detail).toMatch(/replay queue/);
  });

  it('refuses a replay without a valid since', async () => {
    const sub = await subscribe('shanghai', { url: 'https://hooks.example.gov.cn/sh2' }, false);
    const result = await call(createReplaySubscriptionHandler(deps(false)), {
      method: 'POST',
      path: `/subscriptions/${sub.json.id}/replay`,
      pathParameters: { subscriptionId: sub.json.id },
      role: 'shanghai',
      body: { since: 'yesterday' },
    });
    expect(result.statusCode).toBe(400);
    expect(result.json.errors[0].field).toBe('since');
  });
});

describe('the subscription limit per office', () => {
  let limited: TestTable;
  beforeAll(async () => {
    limited = await createTestTable('subscription-limit');
  });
  afterAll(async () => {
    await limited?.drop();
  });
  const limitedDeps = () => ({ ...deps(false), db: limited.doc, tableName: limited.tableName });
  const create = (role: Role, max: number) =>
    call(createCreateSubscriptionHandler({ ...limitedDeps(), maxSubscriptionsPerOffice: max }), {
      method: 'POST',
      path: '/subscriptions',
      role,
      body: { url: `https://hooks.example.gov.cn/${role}` },
    });
  const remove = (role: Role, id: string) =>
    call(createDeleteSubscriptionHandler(limitedDeps()), {
      method: 'DELETE',
      path: `/subscriptions/${id}`,
      pathParameters: { subscriptionId: id },
      role,
    });

  it('refuses a subscription beyond the limit with 409 subscription-limit-reached, for that office only', async () => {
    const created = [];
    for (let i = 0; i < 3; i++) created.push(await create('shanghai', 3));
    expect(created.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    // A subscriber's 410 disables a subscription: it keeps its place until its office deletes it.
    await new SubscriptionRepository(limitedDeps()).disable(created[0]?.json.id, '410', NOW);

    const refused = await create('shanghai', 3);
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(refused.json).toMatchObject({
      type: 'urn:livelihood-tracker:problem:subscription-limit-reached',
      status: 409,
      detail: expect.stringContaining('3 subscriptions'),
    });
    // Nothing was saved by the refused request.
    const listed = await call(createListSubscriptionsHandler(limitedDeps()), {
      path: '/subscriptions',
      role: 'shanghai',
    });
    expect(listed.json.subscriptions).toHaveLength(3);
    // Other offices, the coordinator among them, have their own places.
    expect((await create('jiangsu', 3)).statusCode).toBe(201);
    expect((await create('coordinator', 3)).statusCode).toBe(201);
  });

  it('frees a place when a subscription is deleted, once however often it is deleted', async () => {
    const first = await create('zhejiang', 2);
    expect((await create('zhejiang', 2)).statusCode).toBe(201);
    expect((await create('zhejiang', 2)).statusCode).toBe(409);

    expect((await remove('zhejiang', first.json.id)).statusCode).toBe(204);
    // Deleting it again (a retried request) must not free a second place.
    await new SubscriptionRepository(limitedDeps()).delete(first.json, 'again', NOW);
    expect((await create('zhejiang', 2)).statusCode).toBe(201);
    expect((await create('zhejiang', 2)).statusCode).toBe(409);
  });

  it('lets concurrent requests take no more than the places left', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => create('anhui', 3)));
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([201, 201, 201, 409, 409, 409, 409, 409]);
    const listed = await call(createListSubscriptionsHandler(limitedDeps()), {
      path: '/subscriptions',
      role: 'anhui',
    });
    expect(listed.json.subscriptions).toHaveLength(3);
  });
});
