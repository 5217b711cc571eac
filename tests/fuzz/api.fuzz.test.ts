import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE_2024 } from '../../functions/domain/catalogue-2024.js';
import { ROLES } from '../../functions/domain/provinces.js';
import { ROUTES, type RouteDefinition } from '../../functions/http/routes.js';
import type { JsonObject } from '../../functions/http/spec/index.js';
import { type LocalAuth, loadLocalAuth } from '../../local/local-auth.js';
import openapi from '../../openapi.json' with { type: 'json' };
import { openApiValidator, operationsOf } from '../support/openapi.js';
import { type FuzzApi, type FuzzResponse, startFuzzApi } from './fuzz-api.js';
import {
  describeRequest,
  type FuzzPools,
  type FuzzRequest,
  missingGenerator,
  requestArbitrary,
} from './request-arbitrary.js';
import { authVariants } from './tokens.js';

/**
 * Generated requests to every route of the table (valid ones with one thing wrong, odd paths,
 * queries, headers, tokens and bodies): none may get a 5xx, every 4xx is a problem document, and
 * no 4xx leaves an item more or less in the table. FUZZ_RUNS sets the total number of requests
 * (spread evenly over the routes), FUZZ_SEED the seed, FUZZ_PATH a failure's path to replay;
 * `npm run test:fuzz` is the long run. docs/testing.md says how to reproduce a failure.
 */

const TOTAL_RUNS = Number(process.env.FUZZ_RUNS ?? 10_010);
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_630);
const RUNS_PER_ROUTE = Math.ceil(TOTAL_RUNS / ROUTES.length);
/** The `path` fast-check prints with a failure: replays that request first (with -t <route id>). */
const REPLAY_PATH = process.env.FUZZ_PATH;

const document = openapi as unknown as JsonObject;
const operations = new Map(operationsOf(document).map((o) => [String(o.operation.operationId), o.operation]));
const validator = openApiValidator(document);
const PROBLEM_SCHEMA = { $ref: '#/components/schemas/Problem' };

let dataDir: string;
let auth: LocalAuth;
let tokens: Pick<FuzzPools, 'valid' | 'refused'>;
let requestsSent = 0;
let started = 0;

/** What a failing request was and what came back, in one reading. */
const explain = (request: FuzzRequest, response: FuzzResponse) =>
  `${describeRequest(request)}\n  → ${response.status} ${String(response.headers['content-type'])} ${response.body.slice(0, 300)}`;

/** Real ids and cursors of one API for the generators: a subscription of each office, history pages. */
const collectPools = async (api: FuzzApi): Promise<FuzzPools> => {
  const byRole = (role: string) => tokens.valid.find((v) => v.name === `token of ${role}`)?.header ?? '';
  const subscriptionIds: string[] = [];
  for (const role of ROLES) {
    const created = await api.send({
      routeId: 'createSubscription',
      method: 'POST',
      target: '/subscriptions',
      headers: { authorization: byRole(role), 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify({ url: 'https://hooks.example.gov.cn/fuzz' })),
      what: [],
    });
    expect(created.status).toBe(201);
    subscriptionIds.push(JSON.parse(created.body).id);
  }
  // Two reports each from two provinces, so that each history listing has a second page: its
  // cursor is then offered to the other listings as well.
  for (const province of ['jiangsu', 'anhui']) {
    for (const [value, asOf] of [
      [1, '2024-06-29'],
      [2, '2024-06-30'],
    ] as const) {
      const recorded = await api.send({
        routeId: 'recordMilestone',
        method: 'POST',
        target: '/projects/rail-2024/milestones',
        headers: {
          authorization: byRole(province),
          'content-type': 'application/json',
          'idempotency-key': `fuzz-setup-${province}-${value}`,
        },
        body: Buffer.from(JSON.stringify({ value, asOf })),
        what: [],
      });
      expect(recorded.status, recorded.body).toBe(201);
    }
  }
  const cursors: string[] = [];
  const listings = ['', '&province=jiangsu', '&province=anhui'].map(
    (filter) => `/projects/rail-2024/milestones?limit=1${filter}`,
  );
  for (const target of listings) {
    const page = await api.send({
      routeId: '',
      method: 'GET',
      target,
      headers: {},
      body: undefined,
      what: [],
    });
    const next = page.status === 200 ? JSON.parse(page.body).nextCursor : undefined;
    if (typeof next === 'string') cursors.push(next);
  }
  expect(cursors).toHaveLength(listings.length);
  return {
    ...tokens,
    ids: { projectId: CATALOGUE_2024.map((p) => p.id), subscriptionId: subscriptionIds },
    cursors,
  };
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'fuzz-'));
  auth = await loadLocalAuth(dataDir);
  tokens = await authVariants(auth, dataDir);
  started = performance.now();
});

afterAll(async () => {
  if (requestsSent > 0) {
    const seconds = (performance.now() - started) / 1000;
    console.info(
      `fuzz: ${requestsSent} requests in ${seconds.toFixed(1)} s (${Math.round(requestsSent / seconds)}/s), seed ${SEED}`,
    );
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/**
 * One route's property on an API of its own: a table whose count no other route's writes move,
 * so that routes run side by side (DynamoDB Local and the handlers take turns instead of waiting).
 */
const fuzzRoute = async (route: RouteDefinition) => {
  const operation = operations.get(route.id);
  if (!operation) throw new Error(`no operation ${route.id} in openapi.json`);
  const api = await startFuzzApi(auth);
  try {
    const pools = await collectPools(api);
    // The cheap count the property relies on agrees with a full Scan, the setup's writes included.
    expect(await api.itemCount()).toBeGreaterThan(0);
    expect(await api.itemCount()).toBe(await api.scannedCount());
    let count = await api.itemCount();
    await fc.assert(
      fc.asyncProperty(requestArbitrary(route, operation, pools), async (request) => {
        const response = await api.send(request);
        requestsSent++;
        const why = explain(request, response);
        expect(response.status, why).toBeLessThan(500);
        const before = count;
        // Counting is the cost of this test: only after a refusal (to check it) or a route that
        // may write (to know the count the next refusal is checked against). A read-only route
        // that wrote on success would still be caught, by the next refusal's count.
        if (response.status >= 400 || route.tableAccess === 'write') count = await api.itemCount();
        if (response.status >= 400) {
          expect(response.headers['content-type'], why).toBe('application/problem+json');
          const problem = JSON.parse(response.body);
          expect(validator.errorsOf(PROBLEM_SCHEMA, problem), why).toBeNull();
          expect(problem.status, why).toBe(response.status);
          expect(count, `${why}\n  items before ${before}, after ${count}`).toBe(before);
        }
      }),
      // No shrinking: every request changes the table, so a smaller request would not replay the same.
      {
        seed: SEED,
        numRuns: RUNS_PER_ROUTE,
        endOnFailure: true,
        ...(REPLAY_PATH ? { path: REPLAY_PATH } : {}),
      },
    );
  } finally {
    await api.stop();
  }
};

describe('the API under generated requests', () => {
  it('has a request generator for every route in the table', () => {
    const missing = ROUTES.map((route) => missingGenerator(route, operations.get(route.id))).filter(
      (reason) => reason !== null,
    );
    expect(missing).toEqual([]);
  });

  it('names a route it has no generator for, and what is missing', () => {
    const [route] = ROUTES.filter((r) => r.id === 'recordMilestone');
    const operation = route && operations.get(route.id);
    if (!route || !operation) throw new Error('recordMilestone is not in the table and the document');
    expect(missingGenerator({ ...route, id: 'rotateSecret' }, undefined)).toBe(
      'rotateSecret: no operation in openapi.json (run npm run openapi)',
    );
    expect(
      missingGenerator({ ...route, path: '/projects/{projectId}/milestones/{milestoneId}' }, operation),
    ).toBe('recordMilestone: path parameter {milestoneId} has no example');
    const withoutExamples = { ...operation, requestBody: { content: { 'application/json': {} } } };
    expect(missingGenerator(route, withoutExamples)).toBe(
      'recordMilestone: the request body has no example to mutate',
    );
  });

  it.concurrent.each(ROUTES.map((route) => [route.id, route] as const))(
    '%s: answers every request below 500, and writes nothing when it answers 4xx',
    async (_, route) => fuzzRoute(route),
    // The default run takes about a minute under load; a long run (npm run test:fuzz) takes what it takes.
    Math.max(180_000, RUNS_PER_ROUTE * 200),
  );
});
