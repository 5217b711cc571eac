/**
 * The API description against the real handlers: every JSON route is called on DynamoDB Local
 * (or, for database failures, on a client that fails), and every answer — success or problem —
 * must be a status, media type and body the OpenAPI document declares for that route.
 */
import {
  afterAll,
  beforeAll,
  describe,
  expect,
  expectTypeOf,
  it,
  type RunnerTestFile,
  type RunnerTestSuite,
  vi,
} from 'vitest';
import type * as z from 'zod/mini';
import type { Milestone } from '../../functions/domain/milestone.js';
import type { ProjectProgress, ProvinceProgress } from '../../functions/domain/progress.js';
import type { Project } from '../../functions/domain/project.js';
import type { Subscription } from '../../functions/domain/subscription.js';
import { eventsFromRecord } from '../../functions/events/from-stream.js';
import { createCreateSubscriptionHandler } from '../../functions/handlers/create-subscription.js';
import { createDeleteSubscriptionHandler } from '../../functions/handlers/delete-subscription.js';
import { createGetProjectHandler } from '../../functions/handlers/get-project.js';
import { createGetReplayHandler } from '../../functions/handlers/get-replay.js';
import { createHealthHandler } from '../../functions/handlers/health.js';
import { createListDeliveriesHandler } from '../../functions/handlers/list-deliveries.js';
import { createListMilestonesHandler } from '../../functions/handlers/list-milestones.js';
import { createListProjectsHandler } from '../../functions/handlers/list-projects.js';
import { createListSubscriptionsHandler } from '../../functions/handlers/list-subscriptions.js';
import { createOpenApiHandler } from '../../functions/handlers/openapi.js';
import { createPutProjectHandler } from '../../functions/handlers/put-project.js';
import { createRecordMilestoneHandler } from '../../functions/handlers/record-milestone.js';
import { createReplaySubscriptionHandler } from '../../functions/handlers/replay-subscription.js';
import { createRotateSubscriptionSecretHandler } from '../../functions/handlers/rotate-subscription-secret.js';
import type { Problem } from '../../functions/http/problem.js';
import { ROUTES } from '../../functions/http/routes.js';
import { buildOpenApiDocument, type JsonObject } from '../../functions/http/spec/index.js';
import type { HttpEvent, HttpResult } from '../../functions/http/types.js';
import type { milestoneSchema } from '../../functions/schemas/responses/milestones.js';
import type { problemSchema } from '../../functions/schemas/responses/problems.js';
import type {
  projectProgressSchema,
  projectSchema,
  provinceProgressSchema,
} from '../../functions/schemas/responses/projects.js';
import type { deliverySchema, subscriptionSchema } from '../../functions/schemas/responses/subscriptions.js';
import { EventRepository } from '../../functions/storage/event-repository.js';
import { ProjectRepository } from '../../functions/storage/project-repository.js';
import { type Delivery, SubscriptionRepository } from '../../functions/storage/subscription-repository.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import {
  allCatalogueProjects,
  type EventOptions,
  httpEvent,
  lambdaContext,
  MID_2024,
} from '../support/fixtures.js';
import { mockedDocumentClient } from '../support/mock-db.js';
import { openApiValidator, operationById } from '../support/openapi.js';
import { memoryReplayQueue, replayWorkerFor } from '../support/replay-queue.js';
import { milestoneInsert } from '../support/stream-records.js';
import { type SubscriptionRouteDependencies, subscriptionRoutes } from '../support/subscription-routes.js';

const document = buildOpenApiDocument();
const validator = openApiValidator(document);

/** Statuses no handler produces by itself: API Gateway or the local runtime answer them, or nothing can fail. */
const NOT_FROM_HANDLERS: Readonly<Record<string, readonly number[]>> = {
  // A reader route needs a token only when a stage sets publicReads: false; the gateway checks it.
  listProjects: [401],
  getProject: [401],
  listMilestones: [401],
  // Neither touches the database or parses input.
  getHealth: [500],
  getOpenApi: [500],
};
/** The dashboard is an HTML page, not a JSON route. */
const JSON_ROUTES = ROUTES.filter((route) => route.id !== 'getDashboard');

/** Headers the document declares where they occur (Cache-Control is on many answers and declared where it matters). */
const DECLARED_HEADERS = [
  'Retry-After',
  'WWW-Authenticate',
  'Idempotent-Replayed',
  'Location',
  'Link',
  'Content-Disposition',
  'ETag',
  'X-Correlation-Id',
];

type Handler = (event: HttpEvent, context: ReturnType<typeof lambdaContext>) => Promise<HttpResult>;
type Factory = (deps: SubscriptionRouteDependencies) => Handler;

const FACTORIES: Readonly<Record<string, Factory>> = {
  getOpenApi: () => createOpenApiHandler(),
  getHealth: () => createHealthHandler(),
  listProjects: createListProjectsHandler,
  getProject: createGetProjectHandler,
  putProject: createPutProjectHandler,
  listMilestones: createListMilestonesHandler,
  recordMilestone: createRecordMilestoneHandler,
  createSubscription: createCreateSubscriptionHandler,
  listSubscriptions: createListSubscriptionsHandler,
  deleteSubscription: createDeleteSubscriptionHandler,
  listDeliveries: createListDeliveriesHandler,
  replaySubscription: createReplaySubscriptionHandler,
  rotateSubscriptionSecret: createRotateSubscriptionSecretHandler,
  getReplay: createGetReplayHandler,
};

/** Subscriptions run late in the year, after the logged events they replay. */
const SUBSCRIPTIONS_NOW = new Date('2024-12-02T00:00:00.000Z');
const routes = subscriptionRoutes();
const { sqsMock, sealer: SECRETS } = routes;
const replayQueue = memoryReplayQueue(sqsMock);

let table: TestTable;
let deps: SubscriptionRouteDependencies;
let lateDeps: SubscriptionRouteDependencies;

const { dependencies } = routes;

/** A client whose every call fails with `error`: DynamoDB throttling (503) or anything unexpected (500). */
const failingDeps = (error: Error): SubscriptionRouteDependencies => {
  const { db, mock } = mockedDocumentClient();
  mock.onAnyCommand().rejects(error);
  return dependencies(db, 'unreachable', MID_2024);
};
const throttling = () =>
  failingDeps(
    Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
      name: 'ThrottlingException',
    }),
  );
const broken = () => failingDeps(new TypeError("Cannot read properties of undefined (reading 'Items')"));

const observed = new Map<string, Set<number>>();

/** Every status a JSON route declares that no call has seen, except those only the gateway answers: `routeId status`. */
const unexercisedStatuses = (): string[] =>
  JSON_ROUTES.flatMap((route) => {
    const { operation } = operationById(document, route.id);
    const declared = Object.keys(operation.responses as object).map(Number);
    const seen = observed.get(route.id) ?? new Set<number>();
    const exempt = NOT_FROM_HANDLERS[route.id] ?? [];
    return declared.filter((s) => !seen.has(s) && !exempt.includes(s)).map((s) => `${route.id} ${s}`);
  });

/** Whether no test of the file was left out of this run (by `-t`, a location filter or `.only` elsewhere). */
const everyTestRan = (suite: Readonly<RunnerTestSuite | RunnerTestFile>): boolean =>
  suite.tasks.every((task) => (task.type === 'suite' ? everyTestRan(task) : task.mode === 'run'));

const mediaTypeOf = (result: HttpResult) =>
  (result.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';

/** The answer must be declared for the route: status, media type, body against its schema, headers. */
const conforms = (routeId: string, result: HttpResult): unknown => {
  const { operation } = operationById(document, routeId);
  const response = (operation.responses as Record<string, JsonObject>)[String(result.statusCode)];
  expect(
    response,
    `${routeId} answered ${result.statusCode}, which the document does not declare`,
  ).toBeDefined();
  observed.set(routeId, (observed.get(routeId) ?? new Set()).add(result.statusCode));

  const declaredHeaders = Object.keys((response?.headers as object | undefined) ?? {});
  // Every answer of a function says which request it was, whatever its status.
  expect(result.headers['x-correlation-id'], `${routeId} ${result.statusCode}`).toMatch(
    /^[A-Za-z0-9._:=-]+$/,
  );
  for (const name of DECLARED_HEADERS) {
    if (result.headers[name.toLowerCase()] !== undefined) {
      expect(declaredHeaders, `${routeId} ${result.statusCode} sends ${name}`).toContain(name);
    }
  }

  const content = response?.content as Record<string, JsonObject> | undefined;
  if (content === undefined) {
    expect(result.body).toBe('');
    return undefined;
  }
  const mediaType = mediaTypeOf(result);
  const media = content[mediaType];
  expect(media, `${routeId} ${result.statusCode} answered ${mediaType}`).toBeDefined();
  if (!/json$/.test(mediaType)) return result.body;
  const body = JSON.parse(result.body) as unknown;
  expect(
    validator.errorsOf(media?.schema, body),
    `${routeId} ${result.statusCode}: ${result.body}`,
  ).toBeNull();
  if (mediaType === 'application/problem+json')
    expect((body as { status: number }).status).toBe(result.statusCode);
  return body;
};

interface CallOptions extends Omit<EventOptions, 'method' | 'routeKey'> {
  deps?: SubscriptionRouteDependencies;
  /** Replaces the token's groups, e.g. `[visitors]` for a token with no role of this product. */
  groups?: string;
}

/** Calls the route's real handler with an API Gateway event and checks the answer against the document. */
const call = async (routeId: string, options: CallOptions = {}) => {
  const route = ROUTES.find((r) => r.id === routeId);
  const factory = FACTORIES[routeId];
  if (!route || !factory) throw new Error(`no route ${routeId}`);
  const { deps: given, groups, ...eventOptions } = options;
  const event = httpEvent({
    method: route.method,
    routeKey: `${route.method} ${route.path}`,
    ...eventOptions,
  });
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (groups !== undefined && claims) claims['cognito:groups'] = groups;
  const result = await factory(given ?? deps)(event, lambdaContext());
  return { result, body: conforms(routeId, result) as Record<string, unknown> };
};

/** A request body example of the document, by name. */
const requestExample = (routeId: string, name: string): unknown => {
  const { operation } = operationById(document, routeId);
  const media = (operation.requestBody as { content: Record<string, JsonObject> }).content[
    'application/json'
  ];
  const examples = media?.examples as Record<string, { value: unknown }>;
  const example = examples[name];
  if (!example) throw new Error(`no example ${name} for ${routeId}`);
  return example.value;
};

const tooLarge = {
  rawBody: JSON.stringify({ note: 'x'.repeat(20_000) }),
  headers: { 'content-type': 'application/json' },
};
const formBody = { rawBody: 'value=210', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
/** The same request with a raw body, its headers kept. */
const raw = <T extends { headers?: Record<string, string> }>(options: T, body: typeof tooLarge) => ({
  ...options,
  rawBody: body.rawBody,
  headers: { ...options.headers, ...body.headers },
});
const rail = { path: '/projects/rail-2024', pathParameters: { projectId: 'rail-2024' } };
const railMilestones = { path: '/projects/rail-2024/milestones', pathParameters: { projectId: 'rail-2024' } };
const report = (role: EventOptions['role'], key: string, body: unknown, projectId = 'rail-2024') => ({
  path: `/projects/${projectId}/milestones`,
  pathParameters: { projectId },
  role,
  headers: { 'idempotency-key': key },
  body,
});

beforeAll(async () => {
  table = await createTestTable('openapi-contract');
  deps = dependencies(table.doc, table.tableName, MID_2024);
  lateDeps = dependencies(table.doc, table.tableName, SUBSCRIPTIONS_NOW);
  await new ProjectRepository(deps).seed(allCatalogueProjects());
  routes.acceptDeliveries();
  // Unexpected failures are logged with their stack; the answer is what is checked here.
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
// biome-ignore lint/correctness/noEmptyPattern: vitest passes the file to a hook's second parameter, and requires the first to be an object pattern.
afterAll(async ({}, file) => {
  vi.restoreAllMocks();
  sqsMock.restore();
  await table?.drop();
  // Only a run of the whole file calls every route: a run of some tests (`-t`) proves nothing either way.
  if (everyTestRan(file)) {
    expect(
      unexercisedStatuses(),
      'the document declares statuses for a JSON route that no test saw a handler answer (only the gateway may answer those of NOT_FROM_HANDLERS)',
    ).toEqual([]);
  }
});

describe('the service routes answer as documented', () => {
  it('GET /health: 200', async () => {
    expect((await call('getHealth')).result.statusCode).toBe(200);
  });

  it('GET /openapi.json: 200, then 304 for the current ETag', async () => {
    const { result } = await call('getOpenApi', { path: '/openapi.json' });
    expect(result.statusCode).toBe(200);
    const again = await call('getOpenApi', {
      path: '/openapi.json',
      headers: { 'if-none-match': result.headers.etag ?? '' },
    });
    expect(again.result.statusCode).toBe(304);
  });
});

describe('the milestone routes answer as documented', () => {
  it("POST …/milestones records the document's own examples: 201", async () => {
    const first = await call(
      'recordMilestone',
      report('jiangsu', 'k-jiangsu-may', { value: 150.3, asOf: '2024-05-31' }),
    );
    expect(first.result.statusCode).toBe(201);
    for (const [role, name] of [
      ['jiangsu', 'report'],
      ['zhejiang', 'correction'],
      ['coordinator', 'coordinator'],
    ] as const) {
      const { result } = await call(
        'recordMilestone',
        report(role, `k-${name}`, requestExample('recordMilestone', name)),
      );
      expect(result.statusCode, name).toBe(201);
    }
  });

  it('POST …/milestones replays a retried report: 201 with Idempotent-Replayed', async () => {
    const { result } = await call(
      'recordMilestone',
      report('jiangsu', 'k-report', requestExample('recordMilestone', 'report')),
    );
    expect(result.statusCode).toBe(201);
    expect(result.headers['idempotent-replayed']).toBe('true');
  });

  it('POST …/milestones refuses what the document says it refuses: 400, 401, 403, 404, 409, 413, 415', async () => {
    const statuses = [
      (await call('recordMilestone', report('jiangsu', 'k-bad', { value: -1, asOf: '2024-02-30' }))).result,
      (
        await call('recordMilestone', {
          ...report('jiangsu', 'k-none', { value: 1, asOf: '2024-06-30' }),
          headers: {},
        })
      ).result,
      (await call('recordMilestone', { ...report(undefined, 'k-anon', { value: 1, asOf: '2024-06-30' }) }))
        .result,
      (
        await call(
          'recordMilestone',
          report('jiangsu', 'k-zj', { value: 1, asOf: '2024-06-30', province: 'zhejiang' }),
        )
      ).result,
      (
        await call('recordMilestone', {
          ...report('anhui', 'k-visitor', { value: 1, asOf: '2024-06-30' }),
          groups: '[visitors]',
        })
      ).result,
      (
        await call(
          'recordMilestone',
          report('jiangsu', 'k-2025', { value: 1, asOf: '2024-06-30' }, 'rail-2025'),
        )
      ).result,
      (await call('recordMilestone', report('jiangsu', 'k-lower', { value: 100, asOf: '2024-06-30' })))
        .result,
      (await call('recordMilestone', raw(report('jiangsu', 'k-big', undefined), tooLarge))).result,
      (await call('recordMilestone', raw(report('jiangsu', 'k-form', undefined), formBody))).result,
    ].map((r) => r.statusCode);
    expect(statuses).toEqual([400, 400, 401, 403, 403, 404, 409, 413, 415]);
  });

  it('POST …/milestones answers 503 and 500 when the database fails', async () => {
    const body = { value: 1, asOf: '2024-06-30' };
    expect(
      (await call('recordMilestone', { ...report('anhui', 'k-503', body), deps: throttling() })).result
        .statusCode,
    ).toBe(503);
    expect(
      (await call('recordMilestone', { ...report('anhui', 'k-500', body), deps: broken() })).result
        .statusCode,
    ).toBe(500);
  });

  it('GET …/milestones pages the history as JSON, with a Link to the next page: 200', async () => {
    const { result, body } = await call('listMilestones', { ...railMilestones, query: { limit: '2' } });
    expect(result.statusCode).toBe(200);
    expect(body.milestones).toHaveLength(2);
    expect(body.nextCursor).toEqual(expect.any(String));
    expect(result.headers.link).toMatch(/rel="next"$/);
    const next = await call('listMilestones', {
      ...railMilestones,
      query: { limit: '2', cursor: String(body.nextCursor), province: 'jiangsu' },
    });
    expect(next.result.statusCode).toBe(400);
  });

  it('GET …/milestones gives CSV with the columns of the documented example: 200 text/csv', async () => {
    const { result } = await call('listMilestones', { ...railMilestones, headers: { accept: 'text/csv' } });
    expect(result.statusCode).toBe(200);
    const { operation } = operationById(document, 'listMilestones');
    const responses = operation.responses as Record<string, { content: Record<string, JsonObject> }>;
    const csv = responses['200']?.content['text/csv'];
    const examples = (csv?.examples ?? {}) as Record<string, { value: string }>;
    const example = examples.page?.value ?? '';
    expect(example).toMatch(/^\uFEFFrecorded_at,/);
    expect(result.body.split('\r\n')[0]).toBe(example.split('\r\n')[0]);
  });

  it('GET …/milestones refuses what the document says it refuses: 400, 404, 406, 503, 500', async () => {
    const statuses = [
      (await call('listMilestones', { ...railMilestones, query: { limit: '0' } })).result,
      (
        await call('listMilestones', {
          path: '/projects/rail-2025/milestones',
          pathParameters: { projectId: 'rail-2025' },
        })
      ).result,
      (await call('listMilestones', { ...railMilestones, headers: { accept: 'application/xml' } })).result,
      (await call('listMilestones', { ...railMilestones, deps: throttling() })).result,
      (await call('listMilestones', { ...railMilestones, deps: broken() })).result,
    ].map((r) => r.statusCode);
    expect(statuses).toEqual([400, 404, 406, 503, 500]);
  });
});

describe('the project routes answer as documented', () => {
  it('GET /projects lists a year, by default the current one: 200; refuses a bad year: 400', async () => {
    expect(
      (await call('listProjects', { path: '/projects', query: { year: '2024' } })).result.statusCode,
    ).toBe(200);
    const { body } = await call('listProjects', { path: '/projects' });
    expect((body.projects as unknown[]).length).toBeGreaterThanOrEqual(5);
    expect(
      (await call('listProjects', { path: '/projects', query: { year: 'last' } })).result.statusCode,
    ).toBe(400);
    expect((await call('listProjects', { path: '/projects', deps: throttling() })).result.statusCode).toBe(
      503,
    );
    expect((await call('listProjects', { path: '/projects', deps: broken() })).result.statusCode).toBe(500);
  });

  it('GET /projects/{projectId}: 200, 400, 404, 503, 500', async () => {
    const statuses = [
      (await call('getProject', rail)).result,
      (await call('getProject', { path: '/projects/Rail_2024', pathParameters: { projectId: 'Rail_2024' } }))
        .result,
      (await call('getProject', { path: '/projects/rail-2025', pathParameters: { projectId: 'rail-2025' } }))
        .result,
      (await call('getProject', { ...rail, deps: throttling() })).result,
      (await call('getProject', { ...rail, deps: broken() })).result,
    ].map((r) => r.statusCode);
    expect(statuses).toEqual([200, 400, 404, 503, 500]);
  });

  it("PUT /projects/{projectId} creates and replaces with the document's examples: 201, 200", async () => {
    const elderly = {
      path: '/projects/elderly-care-2024',
      pathParameters: { projectId: 'elderly-care-2024' },
    };
    const replaced = await call('putProject', {
      ...elderly,
      role: 'coordinator',
      body: requestExample('putProject', 'elderlyCare'),
    });
    expect(replaced.result.statusCode).toBe(200);
    expect(
      (await call('putProject', { ...rail, role: 'coordinator', body: requestExample('putProject', 'rail') }))
        .result.statusCode,
    ).toBe(200);
    const created = await call('putProject', {
      path: '/projects/health-records-2024',
      pathParameters: { projectId: 'health-records-2024' },
      role: 'coordinator',
      body: { year: 2024, name: { zh: '电子健康档案互认', en: 'Mutual recognition of health records' } },
    });
    expect(created.result.statusCode).toBe(201);
  });

  it('PUT /projects/{projectId} refuses what the document says it refuses', async () => {
    const body = { year: 2024, name: { zh: '养老服务一体化', en: 'Integrated elderly-care services' } };
    const elderly = {
      path: '/projects/elderly-care-2024',
      pathParameters: { projectId: 'elderly-care-2024' },
    };
    const statuses = [
      (await call('putProject', { ...elderly, role: 'coordinator', body: { ...body, aggregation: 'max' } }))
        .result,
      (await call('putProject', { ...elderly, body })).result,
      (await call('putProject', { ...elderly, role: 'jiangsu', body })).result,
      (await call('putProject', { ...elderly, role: 'coordinator', groups: '[visitors]', body })).result,
      (await call('putProject', { ...elderly, role: 'coordinator', body: { ...body, year: 2025 } })).result,
      (await call('putProject', { ...elderly, role: 'coordinator', ...tooLarge })).result,
      (await call('putProject', { ...elderly, role: 'coordinator', ...formBody })).result,
      (await call('putProject', { ...elderly, role: 'coordinator', body, deps: throttling() })).result,
      (await call('putProject', { ...elderly, role: 'coordinator', body, deps: broken() })).result,
    ].map((r) => r.statusCode);
    expect(statuses).toEqual([400, 401, 403, 403, 409, 413, 415, 503, 500]);
  });
});

describe('the subscription routes answer as documented', () => {
  let id = '';
  let replayId = '';
  const at = (suffix = '') => ({
    path: `/subscriptions/${id}${suffix}`,
    pathParameters: { subscriptionId: id },
    deps: lateDeps,
  });
  const replayPath = (given = replayId) => ({ pathParameters: { subscriptionId: id, replayId: given } });

  it("POST /subscriptions subscribes with the document's examples: 201 with the secret and a Location", async () => {
    const { result, body } = await call('createSubscription', {
      path: '/subscriptions',
      role: 'jiangsu',
      body: requestExample('createSubscription', 'jiangsu'),
      deps: lateDeps,
    });
    expect(result.statusCode).toBe(201);
    id = String(body.id);
    expect(result.headers.location).toBe(`/subscriptions/${id}`);
    const everything = await call('createSubscription', {
      path: '/subscriptions',
      role: 'coordinator',
      body: requestExample('createSubscription', 'everything'),
      deps: lateDeps,
    });
    expect(everything.result.statusCode).toBe(201);
  });

  it('POST /subscriptions answers a retry under the same Idempotency-Key: 201 with Idempotent-Replayed, the first answer without its secret', async () => {
    const request = {
      path: '/subscriptions',
      role: 'shanghai' as const,
      headers: { 'idempotency-key': 'k-subscribe' },
      body: requestExample('createSubscription', 'everything'),
      deps: lateDeps,
    };
    const first = await call('createSubscription', request);
    const again = await call('createSubscription', request);
    expect(again.result.statusCode).toBe(201);
    expect(again.result.headers['idempotent-replayed']).toBe('true');
    const { secret, ...withoutSecret } = JSON.parse(first.result.body ?? '{}') as Record<string, unknown>;
    expect(secret).toMatch(/^whsec_/);
    expect(JSON.parse(again.result.body ?? '{}')).toEqual(withoutSecret);
  });

  it('POST /subscriptions refuses what the document says it refuses', async () => {
    const base = { path: '/subscriptions', role: 'anhui' as const };
    const body = { url: 'https://hooks.example.gov.cn/ah' };
    const statuses = [
      (await call('createSubscription', { ...base, body: { url: 'http://example.com/hooks' } })).result,
      (await call('createSubscription', { path: '/subscriptions', body })).result,
      (await call('createSubscription', { ...base, groups: '[visitors]', body })).result,
      (await call('createSubscription', { ...base, ...tooLarge })).result,
      (await call('createSubscription', { ...base, ...formBody })).result,
      (await call('createSubscription', { ...base, body, deps: { ...deps, maxSubscriptionsPerOffice: 1 } }))
        .result,
      (await call('createSubscription', { ...base, body, deps: { ...deps, maxSubscriptionsPerOffice: 1 } }))
        .result,
      (await call('createSubscription', { ...base, body, deps: throttling() })).result,
      (await call('createSubscription', { ...base, body, deps: broken() })).result,
    ].map((r) => r.statusCode);
    expect(statuses).toEqual([400, 401, 403, 413, 415, 201, 409, 503, 500]);
  });

  it('GET /subscriptions: 200, 401, 403, 503, 500', async () => {
    const statuses = [
      (await call('listSubscriptions', { path: '/subscriptions', role: 'jiangsu', deps: lateDeps })).result,
      (await call('listSubscriptions', { path: '/subscriptions', deps: lateDeps })).result,
      (await call('listSubscriptions', { path: '/subscriptions', role: 'jiangsu', groups: '[visitors]' }))
        .result,
      (await call('listSubscriptions', { path: '/subscriptions', role: 'jiangsu', deps: throttling() }))
        .result,
      (await call('listSubscriptions', { path: '/subscriptions', role: 'jiangsu', deps: broken() })).result,
    ].map((r) => r.statusCode);
    expect(statuses).toEqual([200, 401, 403, 503, 500]);
  });

  it("POST …/replay re-delivers logged events with the document's example: 202", async () => {
    await new EventRepository({ db: table.doc, tableName: table.tableName }).logEvents([
      ...eventsFromRecord(
        milestoneInsert('jiangsu', { value: 210, asOf: '2024-06-30', note: '沪苏湖铁路开通' }),
      ),
      ...eventsFromRecord(
        milestoneInsert('anhui', { value: 12, asOf: '2024-06-30' }, null, 'm-anhui', 'ev-charging-2024'),
      ),
    ]);
    const { result, body } = await call('replaySubscription', {
      ...at('/replay'),
      role: 'jiangsu',
      headers: { 'idempotency-key': 'k-replay' },
      body: requestExample('replaySubscription', 'june'),
    });
    expect(result.statusCode).toBe(202);
    expect(body).toMatchObject({ state: 'queued', counts: { matched: 0, queued: 0 } });
    expect(result.headers.location).toBe(`/subscriptions/${id}/replays/${String(body.id)}`);
    replayId = String(body.id);

    const again = await call('replaySubscription', {
      ...at('/replay'),
      role: 'jiangsu',
      headers: { 'idempotency-key': 'k-replay' },
      body: requestExample('replaySubscription', 'june'),
    });
    expect(again.result.headers['idempotent-replayed']).toBe('true');
    expect(again.result.body).toBe(result.body);

    await replayQueue.drain(replayWorkerFor(lateDeps));
    const done = await call('getReplay', { ...at(`/replays/${replayId}`), ...replayPath(), role: 'jiangsu' });
    expect(done.result.statusCode).toBe(200);
    expect(done.body).toMatchObject({ state: 'done', counts: { matched: 1, queued: 1 } });
  });

  it('GET …/replays/{replayId} refuses what the document says it refuses', async () => {
    const replay = { ...at(`/replays/${replayId}`), ...replayPath() };
    const statuses = [
      (await call('getReplay', { ...at('/replays/x'), ...replayPath('x'), role: 'jiangsu' })).result,
      (await call('getReplay', replay)).result,
      (await call('getReplay', { ...replay, role: 'jiangsu', groups: '[visitors]' })).result,
      (await call('getReplay', { ...replay, role: 'zhejiang' })).result,
      (
        await call('getReplay', {
          ...at('/replays/00000000-0000-4000-8000-000000000000'),
          ...replayPath('00000000-0000-4000-8000-000000000000'),
          role: 'jiangsu',
        })
      ).result,
      (await call('getReplay', { ...replay, role: 'jiangsu', deps: throttling() })).result,
      (await call('getReplay', { ...replay, role: 'jiangsu', deps: broken() })).result,
    ].map((r) => r.statusCode);
    expect(statuses).toEqual([400, 401, 403, 404, 404, 503, 500]);
  });

  it('POST …/replay refuses what the document says it refuses', async () => {
    const body = { since: '2024-06-01T00:00:00Z' };
    const unknown = {
      path: '/subscriptions/0b6c1f1e-0000-4000-8000-000000000000/replay',
      pathParameters: { subscriptionId: '0b6c1f1e-0000-4000-8000-000000000000' },
      deps: lateDeps,
    };
    const statuses = [
      (await call('replaySubscription', { ...at('/replay'), role: 'jiangsu', body: { since: 'yesterday' } }))
        .result,
      (
        await call('replaySubscription', {
          path: '/subscriptions/x/replay',
          pathParameters: { subscriptionId: 'x' },
          role: 'jiangsu',
          body,
        })
      ).result,
      (await call('replaySubscription', { ...at('/replay'), body })).result,
      (await call('replaySubscription', { ...at('/replay'), role: 'jiangsu', groups: '[visitors]', body }))
        .result,
      (await call('replaySubscription', { ...unknown, role: 'jiangsu', body })).result,
      (await call('replaySubscription', { ...at('/replay'), role: 'anhui', body })).result,
      (
        await call('replaySubscription', {
          ...at('/replay'),
          role: 'jiangsu',
          headers: { 'idempotency-key': 'k-replay' },
          body: { since: '2024-07-01T00:00:00Z' },
        })
      ).result,
      (await call('replaySubscription', { ...at('/replay'), role: 'jiangsu', ...tooLarge })).result,
      (await call('replaySubscription', { ...at('/replay'), role: 'jiangsu', ...formBody })).result,
      (await call('replaySubscription', { ...at('/replay'), role: 'jiangsu', body, deps: throttling() }))
        .result,
      (await call('replaySubscription', { ...at('/replay'), role: 'jiangsu', body, deps: broken() })).result,
    ].map((r) => r.statusCode);
    expect(statuses).toEqual([400, 400, 401, 403, 404, 404, 409, 413, 415, 503, 500]);
  });

  it('GET …/deliveries shows attempts, including a failed one: 200', async () => {
    const subscriptions = new SubscriptionRepository({ db: table.doc, tableName: table.tableName });
    const [delivery] = await subscriptions.listDeliveries(id, 1);
    if (!delivery) throw new Error('the replay queued no delivery');
    await subscriptions.beginAttempt(id, delivery.occurredAt, delivery.eventId, SUBSCRIPTIONS_NOW, 15);
    await subscriptions.finishAttempt(
      id,
      delivery.occurredAt,
      delivery.eventId,
      { status: 'retrying', lastStatus: 503, lastError: 'HTTP 503', nextRetryAt: '2024-12-02T00:01:00.000Z' },
      SUBSCRIPTIONS_NOW,
    );
    const { result, body } = await call('listDeliveries', {
      ...at('/deliveries'),
      role: 'jiangsu',
      query: { limit: '10' },
    });
    expect(result.statusCode).toBe(200);
    expect(body.deliveries).toEqual([
      expect.objectContaining({ status: 'retrying', attempts: 1, lastStatus: 503 }),
    ]);
  });

  it('GET …/deliveries refuses what the document says it refuses', async () => {
    const statuses = [
      (await call('listDeliveries', { ...at('/deliveries'), role: 'jiangsu', query: { limit: '500' } }))
        .result,
      (await call('listDeliveries', { ...at('/deliveries') })).result,
      (await call('listDeliveries', { ...at('/deliveries'), role: 'jiangsu', groups: '[visitors]' })).result,
      (await call('listDeliveries', { ...at('/deliveries'), role: 'zhejiang' })).result,
      (await call('listDeliveries', { ...at('/deliveries'), role: 'jiangsu', deps: throttling() })).result,
      (await call('listDeliveries', { ...at('/deliveries'), role: 'jiangsu', deps: broken() })).result,
    ].map((r) => r.statusCode);
    expect(statuses).toEqual([400, 401, 403, 404, 503, 500]);
  });

  it('POST …/rotate-secret answers the new secret once: 200', async () => {
    const { result, body } = await call('rotateSubscriptionSecret', {
      ...at('/rotate-secret'),
      role: 'jiangsu',
    });
    expect(result.statusCode).toBe(200);
    expect(body).toEqual({
      subscriptionId: id,
      secret: expect.stringMatching(/^whsec_/),
      previousSecretExpiresAt: '2024-12-03T00:00:00.000Z',
    });
  });

  it('POST …/rotate-secret refuses what the document says it refuses', async () => {
    // A second rotation lands while this one seals its new secret.
    let raced = false;
    const racing: SubscriptionRouteDependencies = {
      ...lateDeps,
      sealer: {
        seal: async (plaintext, context) => {
          if (!raced) {
            raced = true;
            await call('rotateSubscriptionSecret', { ...at('/rotate-secret'), role: 'jiangsu' });
          }
          return SECRETS.seal(plaintext, context);
        },
      },
    };
    const rotate = async (options: CallOptions) =>
      (await call('rotateSubscriptionSecret', { ...at('/rotate-secret'), role: 'jiangsu', ...options }))
        .result.statusCode;
    const statuses = [
      await rotate({ path: '/subscriptions/x/rotate-secret', pathParameters: { subscriptionId: 'x' } }),
      await rotate({ role: undefined }),
      await rotate({ groups: '[visitors]' }),
      await rotate({ role: 'anhui' }),
      await rotate({ deps: racing }),
      await rotate({ deps: throttling() }),
      await rotate({ deps: broken() }),
    ];
    expect(statuses).toEqual([400, 401, 403, 404, 409, 503, 500]);
  });

  it('DELETE /subscriptions/{subscriptionId}: 204, then 404; 400, 401, 403, 503, 500', async () => {
    const statuses = [
      (
        await call('deleteSubscription', {
          path: '/subscriptions/x',
          pathParameters: { subscriptionId: 'x' },
          role: 'jiangsu',
        })
      ).result,
      (await call('deleteSubscription', { ...at() })).result,
      (await call('deleteSubscription', { ...at(), role: 'jiangsu', groups: '[visitors]' })).result,
      (await call('deleteSubscription', { ...at(), role: 'jiangsu', deps: throttling() })).result,
      (await call('deleteSubscription', { ...at(), role: 'jiangsu', deps: broken() })).result,
      (await call('deleteSubscription', { ...at(), role: 'jiangsu' })).result,
      (await call('deleteSubscription', { ...at(), role: 'jiangsu' })).result,
    ].map((r) => r.statusCode);
    expect(statuses).toEqual([400, 401, 403, 503, 500, 204, 404]);
  });
});

describe('the document and the handlers', () => {
  it('exempts from the handlers only statuses the document declares for the route', () => {
    const undeclared = Object.entries(NOT_FROM_HANDLERS).flatMap(([routeId, statuses]) => {
      const declared = Object.keys(operationById(document, routeId).operation.responses as object);
      return statuses.filter((s) => !declared.includes(String(s))).map((s) => `${routeId} ${s}`);
    });
    expect(undeclared).toEqual([]);
  });

  it('describes the domain types the handlers serialise (checked by the type checker)', () => {
    expectTypeOf<Project>().toExtend<z.output<typeof projectSchema>>();
    expectTypeOf<ProvinceProgress>().toExtend<z.output<typeof provinceProgressSchema>>();
    expectTypeOf<ProjectProgress>().toExtend<z.output<typeof projectProgressSchema>>();
    expectTypeOf<Milestone>().toExtend<z.output<typeof milestoneSchema>>();
    expectTypeOf<Problem>().toExtend<z.output<typeof problemSchema>>();
    // The domain keeps event types as plain strings; the document lists the catalogue's.
    expectTypeOf<Omit<Subscription, 'eventTypes'>>().toExtend<
      Omit<z.output<typeof subscriptionSchema>, 'eventTypes'>
    >();
    expectTypeOf<Omit<Delivery, 'subscriptionId' | 'enqueuedAt'>>().toExtend<
      z.output<typeof deliverySchema>
    >();
  });
});
