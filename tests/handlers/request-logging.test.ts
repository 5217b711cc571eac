import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRecordMilestoneHandler } from '../../functions/handlers/record-milestone.js';
import { httpHandler } from '../../functions/http/middleware.js';
import { BatchGetCommand, TransactWriteCommand } from '../../functions/storage/document-client.js';
import { projectToItem, regionToItem } from '../../functions/storage/items.js';
import { httpEvent, lambdaContext, MID_2024, projectFixture } from '../support/fixtures.js';
import { mockedDocumentClient } from '../support/mock-db.js';

const TABLE = 'tracker-test';
/** What fixtures.ts gives as API Gateway's request id, and as Lambda's. */
const API_REQUEST_ID = 'JKJaXmPLvHcESHA=';
const LAMBDA_REQUEST_ID = 'req-test-1';

/** The JSON lines the functions wrote to stdout and stderr, parsed, in the order written. */
const writtenLines = () => {
  const written: string[] = [];
  const keep = (chunk: unknown) => {
    written.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(keep);
  vi.spyOn(process.stderr, 'write').mockImplementation(keep);
  return () =>
    written.filter((text) => text.startsWith('{')).map((text) => JSON.parse(text) as Record<string, unknown>);
};

const report = (headers: Record<string, string> = {}) => {
  const { db, mock } = mockedDocumentClient();
  mock.on(BatchGetCommand).resolves({
    Responses: {
      [TABLE]: [
        projectToItem(projectFixture('rail-2024')),
        regionToItem('rail-2024', 2024, {
          total: 0,
          provinceValues: {},
          version: 0,
          updatedAt: MID_2024.toISOString(),
        }),
      ],
    },
  });
  mock.on(TransactWriteCommand).resolves({});
  const handler = createRecordMilestoneHandler({
    db,
    tableName: TABLE,
    now: () => MID_2024,
    newId: () => 'mid-1',
  });
  const result = handler(
    httpEvent({
      method: 'POST',
      routeKey: 'POST /projects/{projectId}/milestones',
      path: '/projects/rail-2024/milestones',
      pathParameters: { projectId: 'rail-2024' },
      role: 'jiangsu',
      headers: { 'idempotency-key': 'key-1', ...headers },
      body: { value: 210, asOf: '2024-06-30' },
    }),
    lambdaContext(),
  );
  return { mock, result };
};

let lines: () => Record<string, unknown>[];
beforeEach(() => {
  vi.stubEnv('LOG_LEVEL', 'info');
  vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', '');
  vi.stubEnv('LOG_FORMAT', 'json');
  lines = writtenLines();
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('a request through the HTTP middleware', () => {
  it('writes one INFO line with the request id, route, correlation id, status, time, project and province', async () => {
    const { result } = report();
    const answered = await result;
    expect(answered.statusCode).toBe(201);
    expect(lines()).toEqual([
      {
        level: 'info',
        message: 'request',
        timestamp: expect.any(String),
        requestId: LAMBDA_REQUEST_ID,
        correlationId: API_REQUEST_ID,
        route: 'POST /projects/{projectId}/milestones',
        projectId: 'rail-2024',
        method: 'POST',
        status: 201,
        ms: expect.any(Number),
        province: 'jiangsu',
      },
    ]);
  });

  it("answers the API's request id as the correlation id, and stores it with the milestone and the region's change", async () => {
    const { mock, result } = report();
    const answered = await result;
    expect(answered.headers['x-correlation-id']).toBe(API_REQUEST_ID);
    expect(JSON.parse(answered.body).milestone.correlationId).toBe(API_REQUEST_ID);
    const items = mock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Put?.Item).toMatchObject({ entity: 'Milestone', correlationId: API_REQUEST_ID });
    expect(items[4]?.Update?.ExpressionAttributeValues?.[':change']).toMatchObject({
      milestoneId: 'mid-1',
      correlationId: API_REQUEST_ID,
    });
  });

  it("takes the caller's sane X-Correlation-Id instead, in the answer, the stored milestone and the line", async () => {
    const { mock, result } = report({ 'X-Correlation-Id': 'jiangsu:rail-2024.06-30_a' });
    const answered = await result;
    expect(answered.headers['x-correlation-id']).toBe('jiangsu:rail-2024.06-30_a');
    const items = mock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Put?.Item).toMatchObject({ correlationId: 'jiangsu:rail-2024.06-30_a' });
    expect(lines()[0]).toMatchObject({
      correlationId: 'jiangsu:rail-2024.06-30_a',
      requestId: LAMBDA_REQUEST_ID,
    });
  });

  it('ignores an X-Correlation-Id that is not a sane token, for the request id', async () => {
    for (const insane of ['two words', 'x'.repeat(129), 'a"b', '中文']) {
      const { mock, result } = report({ 'x-correlation-id': insane });
      const answered = await result;
      expect(answered.headers['x-correlation-id']).toBe(API_REQUEST_ID);
      const items = mock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
      expect(items[0]?.Put?.Item).toMatchObject({ correlationId: API_REQUEST_ID });
    }
    expect(lines().every((line) => line.correlationId === API_REQUEST_ID)).toBe(true);
  });

  it('logs an unhandled error with the same ids, answers 500 with the header, and still writes the access line', async () => {
    const handler = httpHandler(async () => {
      throw new Error('the disk is on fire');
    });
    const answered = await handler(
      httpEvent({ path: '/health', headers: { 'x-correlation-id': 'trace-me' } }),
      lambdaContext(),
    );
    expect(answered.statusCode).toBe(500);
    expect(answered.headers['x-correlation-id']).toBe('trace-me');
    expect(lines()).toEqual([
      expect.objectContaining({
        level: 'error',
        message: 'unhandled error',
        error: 'the disk is on fire',
        requestId: LAMBDA_REQUEST_ID,
        correlationId: 'trace-me',
        route: 'GET /health',
      }),
      expect.objectContaining({ level: 'info', message: 'request', status: 500, correlationId: 'trace-me' }),
    ]);
  });

  it('never logs the Authorization header or the token', async () => {
    const { result } = report({ authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.secret.part' });
    await result;
    const handler = httpHandler(async ({ log, event }) => {
      log.warn('what came in', { headers: event.headers });
      throw new Error('failed');
    });
    await handler(
      httpEvent({ path: '/health', headers: { authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.secret.part' } }),
      lambdaContext(),
    );
    const text = JSON.stringify(lines());
    expect(text).toContain('"authorization":"[redacted]"');
    expect(text).not.toContain('eyJhbGciOiJSUzI1NiJ9');
  });
});
