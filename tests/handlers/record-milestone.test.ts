import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '../../functions/domain/provinces.js';
import { createRecordMilestoneHandler } from '../../functions/handlers/record-milestone.js';
import { METRIC } from '../../functions/observability/metric-names.js';
import { requestFingerprint } from '../../functions/services/record-milestone.js';
import { BatchGetCommand, TransactWriteCommand } from '../../functions/storage/document-client.js';
import { projectToItem, provinceToItem, regionToItem } from '../../functions/storage/items.js';
import { httpEvent, lambdaContext, MID_2024, projectFixture, provinceState } from '../support/fixtures.js';
import { recordingMetrics } from '../support/metrics.js';
import { mockedDocumentClient, transactionCanceled } from '../support/mock-db.js';

const TABLE = 'tracker-test';
const rail = projectFixture('rail-2024');

const setup = (maxAttempts = 3) => {
  const { db, mock } = mockedDocumentClient();
  const backoff = vi.fn(async () => undefined);
  const recording = recordingMetrics();
  const handler = createRecordMilestoneHandler({
    db,
    tableName: TABLE,
    now: () => MID_2024,
    newId: () => 'mid-1',
    maxAttempts,
    backoff,
    metrics: recording.metrics,
  });
  return { mock, backoff, handler, recorded: recording.recorded, metricTotals: recording.totals };
};

type Setup = ReturnType<typeof setup>;

const post = (
  handler: Setup['handler'],
  body: unknown,
  options: {
    role?: Role | null;
    key?: string | null;
    headers?: Record<string, string>;
    rawBody?: string;
  } = {},
) =>
  handler(
    httpEvent({
      method: 'POST',
      routeKey: 'POST /projects/{projectId}/milestones',
      path: '/projects/rail-2024/milestones',
      pathParameters: { projectId: 'rail-2024' },
      ...(options.role === null ? {} : { role: options.role ?? 'jiangsu' }),
      headers: {
        ...(options.key === null ? {} : { 'idempotency-key': options.key ?? 'key-1' }),
        ...options.headers,
      },
      body,
      ...(options.rawBody === undefined ? {} : { rawBody: options.rawBody }),
    }),
    lambdaContext(),
  );

/** The commit's check of the project's version failed: a coordinator redefined it since the read. */
const projectChanged = () => transactionCanceled('None', 'None', 'None', 'ConditionalCheckFailed', 'None');

const storedState = (extra: Record<string, unknown>[] = []) => ({
  Responses: {
    [TABLE]: [
      projectToItem(rail),
      regionToItem('rail-2024', 2024, {
        total: 0,
        provinceValues: {},
        version: 0,
        updatedAt: '2024-01-01T00:00:00Z',
      }),
      ...extra,
    ],
  },
});

/** The record a first request under `key-1` left behind: `expiresAt` decides whether it still holds the key. */
const storedIdempotencyRecord = (requestHash: string, body: string, expiresAt: number) => ({
  PK: 'IDEMPOTENCY#user-jiangsu#key-1',
  SK: 'IDEMPOTENCY',
  entity: 'IdempotencyRecord',
  requestHash,
  statusCode: 201,
  body,
  createdAt: '2024-06-30T03:00:00.000Z',
  expiresAt,
});

const problem = (result: { body: string; headers: Record<string, string> }) => {
  expect(result.headers['content-type']).toBe('application/problem+json');
  return JSON.parse(result.body) as {
    type: string;
    title: string;
    status: number;
    detail: string;
    errors?: { field: string }[];
  };
};

let ctx: Setup;
beforeEach(() => {
  ctx = setup();
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => {
  ctx.mock.restore();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('POST /projects/{projectId}/milestones', () => {
  it('records a first report: one read, one transaction, 201 with the milestone and progress', async () => {
    ctx.mock.on(BatchGetCommand).resolves(storedState());
    ctx.mock.on(TransactWriteCommand).resolves({});

    const result = await post(ctx.handler, { value: 210, asOf: '2024-06-30', note: '沪苏湖铁路' });

    expect(result.statusCode).toBe(201);
    const body = JSON.parse(result.body);
    expect(body.milestone).toMatchObject({
      id: 'mid-1',
      province: 'jiangsu',
      value: 210,
      kind: 'report',
      note: '沪苏湖铁路',
    });
    expect(body.progress).toMatchObject({ projectId: 'rail-2024', total: 210, target: 660 });
    expect(ctx.mock.commandCalls(BatchGetCommand)).toHaveLength(1);
    expect(ctx.mock.commandCalls(TransactWriteCommand)).toHaveLength(1);
    const items = ctx.mock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems;
    expect(items).toHaveLength(5);
    expect(items?.find((item) => item.ConditionCheck)?.ConditionCheck).toMatchObject({
      Key: { PK: 'PROJECT#rail-2024', SK: 'STATE#PROJECT' },
      ExpressionAttributeValues: { ':decidedUnder': rail.version },
    });
    expect(ctx.recorded).toEqual([
      { name: METRIC.reportsRecorded, value: 1, dimensions: { projectId: 'rail-2024' } },
    ]);
  });

  it('counts a correction as a correction and as a report recorded', async () => {
    ctx.mock
      .on(BatchGetCommand)
      .resolves(
        storedState([provinceToItem('rail-2024', 2024, provinceState('jiangsu', 210, '2024-06-29'))]),
      );
    ctx.mock.on(TransactWriteCommand).resolves({});

    const result = await post(ctx.handler, {
      value: 200,
      asOf: '2024-06-30',
      correctionReason: 'double-counted section',
    });

    expect(result.statusCode).toBe(201);
    expect(JSON.parse(result.body).milestone.kind).toBe('correction');
    expect(ctx.metricTotals()).toEqual({ [METRIC.reportsRecorded]: 1, [METRIC.corrections]: 1 });
  });

  it('replays the first response for the same key and body without writing', async () => {
    const report = { value: 210, asOf: '2024-06-30' };
    const firstBody = '{"milestone":{"id":"first"},"progress":{}}';
    ctx.mock
      .on(BatchGetCommand)
      .resolves(
        storedState([
          storedIdempotencyRecord(
            requestFingerprint('rail-2024', report),
            firstBody,
            Math.floor(MID_2024.getTime() / 1000) + 3600,
          ),
        ]),
      );

    const result = await post(ctx.handler, { asOf: '2024-06-30', value: 210 });

    expect(result.statusCode).toBe(201);
    expect(result.body).toBe(firstBody);
    expect(result.headers['idempotent-replayed']).toBe('true');
    expect(ctx.mock.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(ctx.metricTotals()).toEqual({ [METRIC.idempotentReplays]: 1 });
  });

  it('refuses the same key with a different body with 409', async () => {
    ctx.mock
      .on(BatchGetCommand)
      .resolves(
        storedState([
          storedIdempotencyRecord(
            requestFingerprint('rail-2024', { value: 210, asOf: '2024-06-30' }),
            '{}',
            Math.floor(MID_2024.getTime() / 1000) + 3600,
          ),
        ]),
      );

    const result = await post(ctx.handler, { value: 220, asOf: '2024-06-30' });

    expect(result.statusCode).toBe(409);
    expect(problem(result).type).toMatch(/idempotency-key-reused$/);
    expect(ctx.mock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('refuses a decrease without a correction reason with 409 and writes nothing', async () => {
    ctx.mock
      .on(BatchGetCommand)
      .resolves(
        storedState([provinceToItem('rail-2024', 2024, provinceState('jiangsu', 210, '2024-06-29'))]),
      );

    const result = await post(ctx.handler, { value: 200, asOf: '2024-06-30' });

    expect(result.statusCode).toBe(409);
    expect(problem(result)).toMatchObject({
      status: 409,
      type: expect.stringMatching(/decrease-without-correction-reason$/),
    });
    expect(ctx.mock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('returns 404 for an unknown project', async () => {
    ctx.mock.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    const result = await post(ctx.handler, { value: 1, asOf: '2024-06-30' });
    expect(result.statusCode).toBe(404);
    expect(problem(result).detail).toContain('rail-2024');
  });

  it('returns 401 without verified claims and touches no data', async () => {
    const result = await post(ctx.handler, { value: 1, asOf: '2024-06-30' }, { role: null });
    expect(result.statusCode).toBe(401);
    expect(result.headers['www-authenticate']).toBe('Bearer');
    expect(ctx.mock.calls()).toHaveLength(0);
  });

  it('returns 403 when Jiangsu reports for Zhejiang and touches no data', async () => {
    const result = await post(ctx.handler, { value: 1, asOf: '2024-06-30', province: 'zhejiang' });
    expect(result.statusCode).toBe(403);
    expect(problem(result).detail).toMatch(/jiangsu/);
    expect(ctx.mock.calls()).toHaveLength(0);
  });

  it('asks the coordinator to name a province', async () => {
    const result = await post(ctx.handler, { value: 1, asOf: '2024-06-30' }, { role: 'coordinator' });
    expect(result.statusCode).toBe(400);
    expect(problem(result).errors).toEqual([expect.objectContaining({ field: 'province' })]);
  });

  it('requires an Idempotency-Key header', async () => {
    const result = await post(ctx.handler, { value: 1, asOf: '2024-06-30' }, { key: null });
    expect(result.statusCode).toBe(400);
    expect(problem(result).errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
  });

  it('names every offending field of an invalid body', async () => {
    const result = await post(ctx.handler, {
      value: '210',
      asOf: '2024-02-30',
      colour: 'red',
      evidenceUrl: 'ftp://x',
    });
    expect(result.statusCode).toBe(400);
    const fields = (problem(result).errors ?? []).map((issue) => issue.field).sort();
    expect(fields).toEqual(['(body)', 'asOf', 'evidenceUrl', 'value']);
    expect(ctx.mock.calls()).toHaveLength(0);
  });

  it('returns 400 for malformed JSON', async () => {
    const result = await post(ctx.handler, undefined, {
      rawBody: '{"value": 1,',
      headers: { 'content-type': 'application/json' },
    });
    expect(result.statusCode).toBe(400);
  });

  it('returns 415 for a body that is not JSON', async () => {
    const result = await post(ctx.handler, undefined, {
      rawBody: 'value=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(result.statusCode).toBe(415);
  });

  it('returns 413 for a body over 16 KB', async () => {
    const result = await post(ctx.handler, { value: 1, asOf: '2024-06-30', note: 'x'.repeat(17 * 1024) });
    expect(result.statusCode).toBe(413);
    expect(ctx.mock.calls()).toHaveLength(0);
  });

  it('reads again and succeeds when another report for the province committed first', async () => {
    ctx.mock
      .on(BatchGetCommand)
      .resolvesOnce(storedState())
      .resolves(
        storedState([provinceToItem('rail-2024', 2024, provinceState('jiangsu', 100, '2024-06-29'))]),
      );
    ctx.mock
      .on(TransactWriteCommand)
      .rejectsOnce(transactionCanceled('None', 'ConditionalCheckFailed', 'None', 'None'))
      .resolves({});

    const result = await post(ctx.handler, { value: 210, asOf: '2024-06-30' });

    expect(result.statusCode).toBe(201);
    expect(JSON.parse(result.body).milestone.previousValue).toBe(100);
    expect(ctx.mock.commandCalls(BatchGetCommand)).toHaveLength(2);
    expect(ctx.backoff).toHaveBeenCalledTimes(1);
    expect(ctx.metricTotals()).toEqual({ [METRIC.concurrencyRetries]: 1, [METRIC.reportsRecorded]: 1 });
  });

  it("decides again at once under the new definition when the project's version changed since the read", async () => {
    const wholeNumbers = { ...rail, allowDecimals: false, version: rail.version + 1 };
    ctx.mock
      .on(BatchGetCommand)
      .resolvesOnce(storedState())
      .resolves({
        Responses: { [TABLE]: [projectToItem(wholeNumbers), ...storedState().Responses[TABLE].slice(1)] },
      });
    ctx.mock.on(TransactWriteCommand).rejects(projectChanged());

    const result = await post(ctx.handler, { value: 210.5, asOf: '2024-06-30' });

    expect(result.statusCode).toBe(400);
    expect(problem(result).errors).toEqual([expect.objectContaining({ field: 'value' })]);
    expect(ctx.mock.commandCalls(BatchGetCommand)).toHaveLength(2);
    expect(ctx.mock.commandCalls(TransactWriteCommand)).toHaveLength(1);
    expect(ctx.backoff).not.toHaveBeenCalled();
  });

  it('returns 409 after bounded attempts when the project keeps being redefined', async () => {
    ctx.mock.on(BatchGetCommand).resolves(storedState());
    ctx.mock.on(TransactWriteCommand).rejects(projectChanged());

    const result = await post(ctx.handler, { value: 210, asOf: '2024-06-30' });

    expect(result.statusCode).toBe(409);
    expect(problem(result)).toMatchObject({
      type: expect.stringMatching(/concurrent-modification$/),
      detail: expect.stringContaining('definition'),
    });
    expect(ctx.mock.commandCalls(TransactWriteCommand)).toHaveLength(3);
    expect(ctx.backoff).not.toHaveBeenCalled();
  });

  it('returns 409 after bounded attempts when the province keeps changing (ConditionalCheckFailed)', async () => {
    ctx.mock.on(BatchGetCommand).resolves(storedState());
    ctx.mock
      .on(TransactWriteCommand)
      .rejects(transactionCanceled('None', 'ConditionalCheckFailed', 'None', 'None'));

    const result = await post(ctx.handler, { value: 210, asOf: '2024-06-30' });

    expect(result.statusCode).toBe(409);
    expect(problem(result).type).toMatch(/concurrent-modification$/);
    expect(ctx.mock.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });

  it('retries TransactionConflict and then answers 503 with Retry-After', async () => {
    ctx.mock.on(BatchGetCommand).resolves(storedState());
    ctx.mock
      .on(TransactWriteCommand)
      .rejects(transactionCanceled('None', 'TransactionConflict', 'None', 'None'));

    const result = await post(ctx.handler, { value: 210, asOf: '2024-06-30' });

    expect(result.statusCode).toBe(503);
    expect(result.headers['retry-after']).toBe('1');
    expect(ctx.mock.commandCalls(TransactWriteCommand)).toHaveLength(3);
    expect(ctx.backoff).toHaveBeenCalledTimes(2);
    expect(ctx.metricTotals()).toEqual({ [METRIC.concurrencyRetries]: 2 });
  });

  it('replays when a concurrent request with the same key committed first', async () => {
    const report = { value: 210, asOf: '2024-06-30' };
    ctx.mock
      .on(BatchGetCommand)
      .resolvesOnce(storedState())
      .resolves(
        storedState([
          {
            PK: 'IDEMPOTENCY#user-jiangsu#key-1',
            SK: 'IDEMPOTENCY',
            entity: 'IdempotencyRecord',
            requestHash: requestFingerprint('rail-2024', report),
            statusCode: 201,
            body: '{"winner":true}',
            createdAt: MID_2024.toISOString(),
            expiresAt: Math.floor(MID_2024.getTime() / 1000) + 86400,
          },
        ]),
      );
    ctx.mock
      .on(TransactWriteCommand)
      .rejects(transactionCanceled('None', 'None', 'ConditionalCheckFailed', 'None'));

    const result = await post(ctx.handler, report);

    expect(result.body).toBe('{"winner":true}');
    expect(ctx.backoff).not.toHaveBeenCalled();
    expect(ctx.metricTotals()).toEqual({ [METRIC.concurrencyRetries]: 1, [METRIC.idempotentReplays]: 1 });
  });

  it('answers 503 just before the invocation times out and starts no further attempt', async () => {
    // Time is the test's: the early answer and the backoff are timers it runs itself.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { db, mock } = mockedDocumentClient();
    const backoff = vi.fn(() => new Promise<void>((resolve) => setTimeout(resolve, 80)));
    const handler = createRecordMilestoneHandler({
      db,
      tableName: TABLE,
      now: () => MID_2024,
      maxAttempts: 10,
      backoff,
    });
    mock.on(BatchGetCommand).resolves(storedState());
    mock
      .on(TransactWriteCommand)
      .rejects(transactionCanceled('None', 'ConditionalCheckFailed', 'None', 'None'));
    const context = { ...lambdaContext(), getRemainingTimeInMillis: () => 50 };

    const pending = handler(
      httpEvent({
        method: 'POST',
        path: '/projects/rail-2024/milestones',
        pathParameters: { projectId: 'rail-2024' },
        role: 'jiangsu',
        headers: { 'idempotency-key': 'slow' },
        body: { value: 210, asOf: '2024-06-30' },
      }),
      context,
    );
    // The first attempt conflicted and is backing off (80 ms) when the invocation is about to end.
    await vi.advanceTimersByTimeAsync(50);
    const result = await pending;
    expect(backoff).toHaveBeenCalledTimes(1);

    expect(result.statusCode).toBe(503);
    expect(result.headers['retry-after']).toBe('1');
    // The backoff ends after the answer: a recorder that ignored the abort would read and write again.
    await vi.runAllTimersAsync();
    expect(mock.commandCalls(BatchGetCommand)).toHaveLength(1);
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(1);
    expect(backoff).toHaveBeenCalledTimes(1);
    mock.restore();
  });

  it('reads again the keys DynamoDB left unprocessed, then records the report', async () => {
    const state = storedState();
    ctx.mock
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [TABLE]: state.Responses[TABLE].slice(0, 1) },
        UnprocessedKeys: { [TABLE]: { Keys: [{ PK: 'PROJECT#rail-2024', SK: 'STATE#REGION' }] } },
      })
      .resolves({ Responses: { [TABLE]: state.Responses[TABLE].slice(1) } });
    ctx.mock.on(TransactWriteCommand).resolves({});

    const result = await post(ctx.handler, { value: 210, asOf: '2024-06-30' });

    expect(result.statusCode).toBe(201);
    expect(ctx.mock.commandCalls(BatchGetCommand)[1]?.args[0].input.RequestItems?.[TABLE]?.Keys).toEqual([
      { PK: 'PROJECT#rail-2024', SK: 'STATE#REGION' },
    ]);
  });

  it('gives up with 503 when DynamoDB keeps leaving keys unprocessed', async () => {
    ctx.mock.on(BatchGetCommand).resolves({
      Responses: { [TABLE]: [] },
      UnprocessedKeys: { [TABLE]: { Keys: [{ PK: 'PROJECT#rail-2024', SK: 'STATE#REGION' }] } },
    });

    const result = await post(ctx.handler, { value: 210, asOf: '2024-06-30' });

    expect(result.statusCode).toBe(503);
    expect(ctx.mock.commandCalls(BatchGetCommand)).toHaveLength(8);
    expect(ctx.mock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers 503 with Retry-After when DynamoDB throttles', async () => {
    ctx.mock.on(BatchGetCommand).rejects(
      new ProvisionedThroughputExceededException({
        message: 'Rate exceeded',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const result = await post(ctx.handler, { value: 210, asOf: '2024-06-30' });
    expect(result.statusCode).toBe(503);
    expect(result.headers['retry-after']).toBe('1');
  });

  it('answers 503 when the transaction is cancelled for throttling', async () => {
    ctx.mock.on(BatchGetCommand).resolves(storedState());
    ctx.mock.on(TransactWriteCommand).rejects(transactionCanceled('None', 'ThrottlingError', 'None', 'None'));
    expect((await post(ctx.handler, { value: 210, asOf: '2024-06-30' })).statusCode).toBe(503);
  });

  it('answers 503 when the database is unreachable', async () => {
    ctx.mock
      .on(BatchGetCommand)
      .rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' }));
    expect((await post(ctx.handler, { value: 210, asOf: '2024-06-30' })).statusCode).toBe(503);
  });

  it('hides an unexpected failure behind a plain 500 that leaks nothing', async () => {
    ctx.mock.on(BatchGetCommand).rejects(new Error('ValidationException: secret table layout PK#internal'));
    const result = await post(ctx.handler, { value: 210, asOf: '2024-06-30' });
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toMatch(/secret|PK#|ValidationException|at /);
    expect(problem(result).detail).toContain('req-test-1');
  });
});
