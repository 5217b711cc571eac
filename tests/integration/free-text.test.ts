import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../functions/domain/provinces.js';
import { createCreateSubscriptionHandler } from '../../functions/handlers/create-subscription.js';
import { createPutProjectHandler } from '../../functions/handlers/put-project.js';
import { createRecordMilestoneHandler } from '../../functions/handlers/record-milestone.js';
import type { HttpEvent } from '../../functions/http/types.js';
import { ScanCommand } from '../../functions/storage/document-client.js';
import { ProjectRepository } from '../../functions/storage/project-repository.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { allCatalogueProjects, httpEvent, lambdaContext } from '../support/fixtures.js';
import { subscriptionRoutes } from '../support/subscription-routes.js';

/**
 * Free text with control characters, bidirectional overrides or lone surrogates is refused with
 * a field error before anything is written: the table holds exactly as many items afterwards.
 * Each refused request is paired with the same request made clean, which does write, so that an
 * unchanged count cannot come from a request that would not have written anyway.
 */

const NOW = new Date('2024-12-01T02:00:00.000Z');
let table: TestTable;

beforeAll(async () => {
  table = await createTestTable('free-text');
  await new ProjectRepository({ db: table.doc, tableName: table.tableName }).seed(allCatalogueProjects());
});
afterAll(async () => {
  await table?.drop();
});

const itemCount = async () => {
  const scan = await table.doc.send(new ScanCommand({ TableName: table.tableName, Select: 'COUNT' }));
  return scan.Count ?? 0;
};

type Handler = (
  event: HttpEvent,
  context: ReturnType<typeof lambdaContext>,
) => Promise<{ statusCode: number; body: string; headers: Record<string, string> }>;

const routes = subscriptionRoutes();
const deps = () => routes.dependencies(table.doc, table.tableName, NOW);

let sequence = 0;

/** The event API Gateway delivers for a route, its path filled in from the path parameters. */
const routeEvent = (
  routeKey: string,
  options: { pathParameters?: Record<string, string>; headers?: Record<string, string>; role: Role },
  body: unknown,
): HttpEvent => {
  const [method = 'GET', template = '/'] = routeKey.split(' ');
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => options.pathParameters?.[name] ?? '');
  return httpEvent({ method, routeKey, path, ...options, body });
};

/** A route under test: its handler, and its request around a body. */
interface Route {
  handler: () => Handler;
  event: (body: unknown) => HttpEvent;
}
const ROUTES = {
  report: {
    handler: () => createRecordMilestoneHandler(deps()),
    event: (body) =>
      routeEvent(
        'POST /projects/{projectId}/milestones',
        {
          pathParameters: { projectId: 'rail-2024' },
          headers: { 'idempotency-key': `free-text-${++sequence}` },
          role: 'jiangsu',
        },
        body,
      ),
  },
  project: {
    handler: () => createPutProjectHandler(deps()),
    event: (body) =>
      routeEvent(
        'PUT /projects/{projectId}',
        { pathParameters: { projectId: `free-text-${++sequence}` }, role: 'coordinator' },
        body,
      ),
  },
  subscription: {
    // The office's cap is not under test here: every valid twin of a refused request creates one.
    handler: () => createCreateSubscriptionHandler({ ...deps(), maxSubscriptionsPerOffice: 1_000 }),
    event: (body) => routeEvent('POST /subscriptions', { role: 'anhui' }, body),
  },
} satisfies Record<string, Route>;

const report = (fields: Record<string, string>) => ({ value: ++sequence, asOf: '2024-06-30', ...fields });
const project = (name: { zh: string; en: string }) => ({ year: 2025, name });
const subscription = (fields: Record<string, string>) => ({ url: 'https://hooks.example.com/in', ...fields });

/**
 * [what, route, field, the body around a text, the character put in it]: the body with the
 * character is refused, the same body without it is written.
 */
const CASES: [string, keyof typeof ROUTES, string, (text: string) => unknown, string][] = [
  ['a bidi override in a note', 'report', 'note', (c) => report({ note: `付款${c}exe.pdf` }), '\u202E'],
  [
    'a bell in a correction reason',
    'report',
    'correctionReason',
    (c) => report({ correctionReason: `重复${c}` }),
    '\u0007',
  ],
  ['a lone surrogate in a note', 'report', 'note', (c) => report({ note: `进度👍${c}` }), '\uD800'],
  [
    'a C1 control in an evidence URL',
    'report',
    'evidenceUrl',
    (c) => report({ evidenceUrl: `https://a.gov.cn/${c}` }),
    '\u0085',
  ],
  [
    'a line break in a project name',
    'project',
    'name.zh',
    (c) => project({ zh: `轨道${c}上海`, en: 'Rail' }),
    '\n',
  ],
  [
    'a left-to-right mark in a project name',
    'project',
    'name.en',
    (c) => project({ zh: '轨道', en: `Rail${c}` }),
    '\u200E',
  ],
  [
    'an isolate in a subscription description',
    'subscription',
    'description',
    (c) => subscription({ description: `安徽${c}` }),
    '\u2066',
  ],
  [
    'a tab in a subscription URL',
    'subscription',
    'url',
    (c) => subscription({ url: `https://hooks.exa${c}mple.com/in` }),
    '\t',
  ],
];

describe('free text on DynamoDB Local', () => {
  it.each(CASES)('refuses %s with a field error and writes nothing', async (_, route, field, body, char) => {
    const { handler, event } = ROUTES[route];
    const before = await itemCount();

    const refused = await handler()(event(body(char)), lambdaContext());
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    const problem = JSON.parse(refused.body);
    const code = `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    expect(problem.errors).toEqual([{ field, message: expect.stringContaining(code) }]);
    expect(await itemCount()).toBe(before);

    const accepted = await handler()(event(body('')), lambdaContext());
    expect(accepted.statusCode).toBe(201);
    expect(await itemCount()).toBeGreaterThan(before);
  });

  it('keeps line breaks and tabs in a note and a correction reason', async () => {
    const { handler, event } = ROUTES.report;
    const text = '第一行\r\n\t第二行';
    const result = await handler()(event(report({ note: text, correctionReason: text })), lambdaContext());
    expect(result.statusCode).toBe(201);
    expect(JSON.parse(result.body).milestone).toMatchObject({ note: text, correctionReason: text });
  });
});
