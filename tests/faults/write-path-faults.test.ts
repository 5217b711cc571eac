/**
 * DynamoDB throttling and transaction conflicts on the write path, which DynamoDB Local never
 * produces: a middleware on the handlers' own client fails chosen calls the way DynamoDB does,
 * and lets every other call through to DynamoDB Local. The caller gets 503 problem+json with
 * Retry-After (docs/api.md, `service-unavailable`), nothing is half-written, and the retry with
 * the same Idempotency-Key records the report exactly once.
 */
import {
  type DynamoDBClient,
  ProvisionedThroughputExceededException,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGetProjectHandler } from '../../functions/handlers/get-project.js';
import { createPutProjectHandler } from '../../functions/handlers/put-project.js';
import { createRecordMilestoneHandler } from '../../functions/handlers/record-milestone.js';
import { createDocumentClient } from '../../functions/storage/client.js';
import { ScanCommand } from '../../functions/storage/document-client.js';
import { ProjectRepository } from '../../functions/storage/project-repository.js';
import { createTestTable, type TestTable, testDynamoClient } from '../support/dynamo.js';
import { allCatalogueProjects, httpEvent, lambdaContext } from '../support/fixtures.js';
import { transactionCanceled } from '../support/mock-db.js';
import { projectDefinitionRequest, reportRequest } from '../support/requests.js';

const NOW = new Date('2024-12-01T02:00:00.000Z');

/** The low-level operation to fail, and how many of its next calls fail. */
const faults = { operation: '', remaining: 0, error: (): Error => new Error('no fault set') };
const failNext = (operation: string, times: number, error: () => Error) => {
  Object.assign(faults, { operation, remaining: times, error });
};

let table: TestTable;
let faulty: DynamoDBClient;
let deps: { db: ReturnType<typeof createDocumentClient>; tableName: string; now: () => Date };

beforeAll(async () => {
  table = await createTestTable('write-faults');
  faulty = testDynamoClient();
  faulty.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === faults.operation && faults.remaining > 0) {
        faults.remaining--;
        throw faults.error();
      }
      return next(args);
    },
    { step: 'initialize', name: 'injectDynamoDbFaults' },
  );
  deps = { db: createDocumentClient(faulty), tableName: table.tableName, now: () => NOW };
  await new ProjectRepository({ ...deps, db: table.doc }).seed(allCatalogueProjects());
});
beforeEach(() => failNext('', 0, () => new Error('no fault set')));
afterAll(async () => {
  faulty?.destroy();
  await table?.drop();
});

const itemsOf = async (entity: string) =>
  (
    await table.doc.send(
      new ScanCommand({
        TableName: table.tableName,
        FilterExpression: 'entity = :e',
        ExpressionAttributeValues: { ':e': entity },
      }),
    )
  ).Items ?? [];

const progressOf = async (projectId: string) => {
  const read = await createGetProjectHandler({ db: table.doc, tableName: table.tableName, now: () => NOW })(
    httpEvent({ method: 'GET', path: `/projects/${projectId}`, pathParameters: { projectId } }),
    lambdaContext(),
  );
  return JSON.parse(read.body) as { project: { target: number }; progress: { total: number } };
};

const expectServiceUnavailable = (result: {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}) => {
  expect(result.statusCode).toBe(503);
  expect(result.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(Number(result.headers['retry-after'])).toBeGreaterThan(0);
  expect(JSON.parse(result.body).type).toMatch(/:service-unavailable$/);
};

const throughputExceeded = () =>
  new ProvisionedThroughputExceededException({
    message: 'Rate exceeded',
    $metadata: { httpStatusCode: 400 },
  });

describe('the write path when DynamoDB throttles or transactions conflict', () => {
  it.each([
    [
      'TransactionConflict on every attempt',
      'TransactWriteItemsCommand',
      () => transactionCanceled('None', 'TransactionConflict', 'None', 'None'),
    ],
    [
      'a throttled transaction',
      'TransactWriteItemsCommand',
      () => transactionCanceled('ThrottlingError', 'None', 'None', 'None'),
    ],
    ['a throttled read', 'BatchGetItemCommand', throughputExceeded],
  ])(
    'answers %s with 503 and Retry-After, writes nothing, and records the retry with the same key once',
    async (_, operation, error) => {
      const province = 'jiangsu';
      const key = `fault-${operation}-${Math.random()}`;
      const record = createRecordMilestoneHandler({ ...deps, backoff: async () => {} });
      const post = () =>
        record(
          reportRequest('ev-charging-2024', province, key, { value: 100, asOf: '2024-06-30' }),
          lambdaContext(),
        );
      const before = {
        milestones: (await itemsOf('Milestone')).length,
        total: (await progressOf('ev-charging-2024')).progress.total,
      };

      failNext(operation, 1_000, error);
      expectServiceUnavailable(await post());
      expect((await itemsOf('Milestone')).length).toBe(before.milestones);
      expect((await itemsOf('IdempotencyRecord')).filter((i) => String(i.PK).endsWith(`#${key}`))).toEqual(
        [],
      );
      expect((await progressOf('ev-charging-2024')).progress.total).toBe(before.total);

      failNext('', 0, error);
      const retried = await post();
      expect(retried.statusCode).toBe(201);
      const again = await post();
      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(JSON.parse(again.body).milestone.id).toBe(JSON.parse(retried.body).milestone.id);
      expect((await itemsOf('Milestone')).length).toBe(before.milestones + 1);
    },
  );

  it('answers a throttled project update with 503 and Retry-After, keeps the old definition, then applies the retry', async () => {
    const put = createPutProjectHandler(deps);
    const { project } = await progressOf('rail-2024');
    const request = () =>
      put(
        projectDefinitionRequest('rail-2024', {
          year: 2024,
          name: { zh: '轨道交通', en: 'Rail transit' },
          unit: { zh: '公里', en: 'km' },
          target: project.target + 50,
        }),
        lambdaContext(),
      );

    failNext(
      'PutItemCommand',
      1_000,
      () => new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }),
    );
    expectServiceUnavailable(await request());
    expect((await progressOf('rail-2024')).project.target).toBe(project.target);

    failNext('', 0, throughputExceeded);
    expect((await request()).statusCode).toBe(200);
    expect((await progressOf('rail-2024')).project.target).toBe(project.target + 50);
  });
});
