import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decideMilestone } from '../../functions/domain/milestone.js';
import { createGetProjectHandler } from '../../functions/handlers/get-project.js';
import { createHealthHandler } from '../../functions/handlers/health.js';
import { createListMilestonesHandler } from '../../functions/handlers/list-milestones.js';
import { createListProjectsHandler } from '../../functions/handlers/list-projects.js';
import { encodeCursor } from '../../functions/storage/cursor.js';
import { GetCommand, QueryCommand } from '../../functions/storage/document-client.js';
import { milestoneToItem, projectToItem } from '../../functions/storage/items.js';
import { callerFixture, httpEvent, lambdaContext, MID_2024, projectFixture } from '../support/fixtures.js';
import { mockedDocumentClient } from '../support/mock-db.js';

const TABLE = 'tracker-test';
let ctx: ReturnType<typeof mockedDocumentClient>;
beforeEach(() => {
  ctx = mockedDocumentClient();
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  ctx.mock.restore();
  vi.restoreAllMocks();
});
const deps = () => ({ db: ctx.db, tableName: TABLE, now: () => MID_2024 });

const milestoneItem = (note: string) =>
  milestoneToItem(
    decideMilestone({
      project: projectFixture('rail-2024'),
      province: 'jiangsu',
      current: null,
      report: { value: 12.5, asOf: '2024-06-30', note },
      caller: callerFixture('jiangsu'),
      milestoneId: 'mid-1',
      now: MID_2024,
    }).milestone,
  );

const history = (query: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  createListMilestonesHandler(deps())(
    httpEvent({
      routeKey: 'GET /projects/{projectId}/milestones',
      path: '/projects/rail-2024/milestones',
      pathParameters: { projectId: 'rail-2024' },
      query,
      headers,
    }),
    lambdaContext(),
  );

describe('GET /health', () => {
  it('answers ok without touching the database', async () => {
    const result = await createHealthHandler()(httpEvent(), lambdaContext());
    expect(JSON.parse(result.body)).toEqual({ status: 'ok' });
    expect(ctx.mock.calls()).toHaveLength(0);
  });
});

describe('GET /projects', () => {
  it('queries the year index once and returns every project with progress', async () => {
    ctx.mock.on(QueryCommand).resolves({ Items: [projectToItem(projectFixture('rail-2024'))] });
    const result = await createListProjectsHandler(deps())(
      httpEvent({ path: '/projects', query: { year: '2024' } }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(200);
    const body = JSON.parse(result.body);
    expect(body.projects[0].progress).toMatchObject({ projectId: 'rail-2024', total: 0, percent: 0 });
    const input = ctx.mock.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ IndexName: 'GSI1', ExpressionAttributeValues: { ':year': 'YEAR#2024' } });
  });

  it('refuses a year that is not a number', async () => {
    const result = await createListProjectsHandler(deps())(
      httpEvent({ path: '/projects', query: { year: 'last' } }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).errors[0].field).toBe('year');
  });
});

describe('GET /projects/{projectId}', () => {
  it('answers 404 for an unknown project', async () => {
    ctx.mock.on(QueryCommand).resolves({ Items: [] });
    const result = await createGetProjectHandler(deps())(
      httpEvent({ path: '/projects/nope-2024', pathParameters: { projectId: 'nope-2024' } }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(404);
    expect(result.headers['content-type']).toBe('application/problem+json');
  });
});

describe('GET /projects/{projectId}/milestones', () => {
  it('gives CSV with a byte-order mark and Chinese province names for Accept: text/csv', async () => {
    ctx.mock.on(GetCommand).resolves({ Item: { PK: 'PROJECT#rail-2024' } });
    ctx.mock.on(QueryCommand).resolves({ Items: [milestoneItem('含 "沪苏湖", 通车')] });

    const result = await history({}, { accept: 'text/csv' });

    expect(result.statusCode).toBe(200);
    expect(result.headers['content-type']).toBe('text/csv; charset=utf-8');
    const [header, row] = result.body.split('\r\n');
    expect(header?.startsWith('\uFEFFrecorded_at,')).toBe(true);
    expect(row).toContain(',jiangsu,江苏省,2024-06-30,12.5,report,');
    expect(row).toContain('"含 ""沪苏湖"", 通车"');
  });

  it('pages newest first and links the next page', async () => {
    const lastKey = { PK: 'PROJECT#rail-2024', SK: 'MILESTONE#2024-06-30#t#mid-1' };
    ctx.mock.on(GetCommand).resolves({ Item: { PK: 'PROJECT#rail-2024' } });
    ctx.mock.on(QueryCommand).resolves({ Items: [milestoneItem('a')], LastEvaluatedKey: lastKey });

    const result = await history({ limit: '1' });

    const body = JSON.parse(result.body);
    expect(body.nextCursor).toBe(encodeCursor(lastKey));
    expect(result.headers.link).toContain('rel="next"');
    expect(ctx.mock.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      ScanIndexForward: false,
      Limit: 1,
    });
  });

  it('filters by province through the province index', async () => {
    ctx.mock.on(GetCommand).resolves({ Item: { PK: 'PROJECT#rail-2024' } });
    ctx.mock.on(QueryCommand).resolves({ Items: [] });
    await history({ province: 'anhui' });
    expect(ctx.mock.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: 'GSI1',
      ExpressionAttributeValues: { ':pk': 'PROJECT#rail-2024#PROVINCE#anhui' },
    });
  });

  it('answers 404 for an unknown project', async () => {
    ctx.mock.on(GetCommand).resolves({});
    ctx.mock.on(QueryCommand).resolves({ Items: [] });
    expect((await history()).statusCode).toBe(404);
  });

  it.each([
    [{ province: 'beijing' }, 'province'],
    [{ limit: '0' }, 'limit'],
    [{ limit: '201' }, 'limit'],
    [{ cursor: 'garbage' }, 'cursor'],
  ])('refuses the query %j naming the field', async (query, field) => {
    ctx.mock.on(GetCommand).resolves({ Item: { PK: 'PROJECT#rail-2024' } });
    ctx.mock.on(QueryCommand).resolves({ Items: [] });
    const result = await history(query);
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).errors[0].field).toBe(field);
  });

  it('answers 406 when neither JSON nor CSV is acceptable', async () => {
    expect((await history({}, { accept: 'image/png' })).statusCode).toBe(406);
  });
});
