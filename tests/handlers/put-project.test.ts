import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '../../functions/domain/provinces.js';
import { createPutProjectHandler } from '../../functions/handlers/put-project.js';
import { PutCommand, QueryCommand, TransactWriteCommand } from '../../functions/storage/document-client.js';
import { projectToItem, regionToItem } from '../../functions/storage/items.js';
import { httpEvent, lambdaContext, MID_2024, projectFixture } from '../support/fixtures.js';
import { mockedDocumentClient } from '../support/mock-db.js';

const TABLE = 'tracker-test';
const definition = {
  year: 2024,
  name: { zh: '长三角示例项目', en: 'Example project' },
  unit: { zh: '个', en: 'sites' },
  target: 100,
};

let ctx: ReturnType<typeof mockedDocumentClient> & { handler: ReturnType<typeof createPutProjectHandler> };
beforeEach(() => {
  const mocked = mockedDocumentClient();
  ctx = {
    ...mocked,
    handler: createPutProjectHandler({ db: mocked.db, tableName: TABLE, now: () => MID_2024 }),
  };
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  ctx.mock.restore();
  vi.restoreAllMocks();
});

const put = (projectId: string, body: unknown, role: Role = 'coordinator') =>
  ctx.handler(
    httpEvent({
      method: 'PUT',
      routeKey: 'PUT /projects/{projectId}',
      path: `/projects/${projectId}`,
      pathParameters: { projectId },
      role,
      body,
    }),
    lambdaContext(),
  );

describe('PUT /projects/{projectId}', () => {
  it('creates a new catalogue entry with its empty region aggregate: 201', async () => {
    ctx.mock.on(QueryCommand).resolves({ Items: [] });
    ctx.mock.on(TransactWriteCommand).resolves({});

    const result = await put('example-2024', definition);

    expect(result.statusCode).toBe(201);
    expect(JSON.parse(result.body).project).toMatchObject({
      id: 'example-2024',
      version: 1,
      aggregation: 'sum',
      startDate: '2024-01-01',
      deadline: '2024-12-31',
      reportingIntervalDays: 30,
    });
    const items = ctx.mock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items.map((item) => item.Put?.Item?.entity)).toEqual(['Project', 'RegionAggregate']);
  });

  it('updates an existing entry on the version it read: 200', async () => {
    const rail = projectFixture('rail-2024', { version: 2 });
    ctx.mock.on(QueryCommand).resolves({
      Items: [
        projectToItem(rail),
        regionToItem('rail-2024', 2024, {
          total: 5,
          provinceValues: { anhui: 5 },
          version: 1,
          updatedAt: 'x',
        }),
      ],
    });
    ctx.mock.on(PutCommand).resolves({});

    const result = await put('rail-2024', { ...definition, target: 700 });

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body).progress).toMatchObject({ total: 5, target: 700 });
    const input = ctx.mock.commandCalls(PutCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toContain('#version = :expected');
    expect(input?.ExpressionAttributeValues).toEqual({ ':expected': 2 });
    expect(input?.Item).toMatchObject({ version: 3, target: 700 });
  });

  it('forbids a province office to define projects', async () => {
    const result = await put('example-2024', definition, 'anhui');
    expect(result.statusCode).toBe(403);
    expect(ctx.mock.calls()).toHaveLength(0);
  });

  it('refuses an invalid id or body and writes nothing', async () => {
    expect((await put('Bad_ID', definition)).statusCode).toBe(400);
    const result = await put('example-2024', { ...definition, target: -5, aggregation: 'max' });
    expect(result.statusCode).toBe(400);
    const fields = JSON.parse(result.body)
      .errors.map((e: { field: string }) => e.field)
      .sort();
    expect(fields).toEqual(['aggregation', 'target']);
    expect(ctx.mock.calls()).toHaveLength(0);
  });
});
