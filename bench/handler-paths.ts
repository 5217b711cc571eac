import {
  BatchGetItemCommand,
  DynamoDBClient,
  QueryCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { PROVINCES } from '../functions/domain/provinces.js';
import { createGetProjectHandler } from '../functions/handlers/get-project.js';
import { createRecordMilestoneHandler } from '../functions/handlers/record-milestone.js';
import { createDocumentClient } from '../functions/storage/client.js';
import { idempotencyKey, projectKey, provinceKey, regionKey } from '../functions/storage/keys.js';
import { ProjectRepository } from '../functions/storage/project-repository.js';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { ensureTable, LOCAL_CREDENTIAL, LOCAL_REGION } from '../local/table.js';
import { allCatalogueProjects, httpEvent, lambdaContext } from '../tests/support/fixtures.js';
import { ratio } from './stats.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);
const WARMUP = Math.max(10, Math.floor(ROUNDS / 10));
const NOW = new Date('2024-12-01T02:00:00.000Z');

const time = async (rounds: number, run: (i: number) => Promise<unknown>): Promise<number> => {
  for (let i = 0; i < WARMUP; i++) await run(-1 - i);
  const started = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) await run(i);
  return Number(process.hrtime.bigint() - started) / 1e6 / rounds;
};

export interface HandlerPathRow {
  case: string;
  productMs: number;
  baselineMs: number;
  ratio: number;
}

/**
 * How much the product's own code costs on top of the database calls it makes: each handler
 * against a baseline doing the same DynamoDB calls raw, in the same run, on the same DynamoDB
 * Local, so the ratios hold from one machine to another.
 */
export const measureHandlerPaths = async (): Promise<HandlerPathRow[]> => {
  const dynamo = await startDynamoDbLocal({ dataDir: null });
  try {
    const client = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: LOCAL_REGION,
      credentials: { accessKeyId: LOCAL_CREDENTIAL, secretAccessKey: LOCAL_CREDENTIAL },
    });
    const tableName = 'bench';
    await ensureTable(client, tableName);
    const db = createDocumentClient(client);
    const deps = { db, tableName, now: () => NOW };
    await new ProjectRepository(deps).seed(allCatalogueProjects());
    const record = createRecordMilestoneHandler(deps);
    const getProject = createGetProjectHandler(deps);

    // Raw: the same round trips a report makes (a 7-key BatchGet, a 4-item transaction), no product code.
    const rawWrite = async (i: number) => {
      await client.send(
        new BatchGetItemCommand({
          RequestItems: {
            [tableName]: {
              ConsistentRead: true,
              Keys: [
                projectKey('ev-charging-2024'),
                regionKey('ev-charging-2024'),
                ...PROVINCES.map((p) => provinceKey('ev-charging-2024', p)),
                idempotencyKey('raw', `k${i}`),
              ].map((key) => marshall(key)),
            },
          },
        }),
      );
      await client.send(
        new TransactWriteItemsCommand({
          TransactItems: [0, 1, 2, 3].map((n) => ({
            Put: {
              TableName: tableName,
              Item: marshall({ PK: `RAW#${i}`, SK: `ITEM#${n}`, value: i, note: 'x' }),
            },
          })),
        }),
      );
    };
    let reports = 0;
    const productWrite = async () => {
      reports += 1;
      const result = await record(
        httpEvent({
          method: 'POST',
          path: '/projects/rail-2024/milestones',
          pathParameters: { projectId: 'rail-2024' },
          role: 'jiangsu',
          headers: { 'idempotency-key': `bench-${reports}` },
          // Rising cumulative values, so that every report is a real, committed one.
          body: { value: 100 + reports / 1000, asOf: '2024-06-30', note: '基准测试' },
        }),
        lambdaContext(),
      );
      if (result.statusCode !== 201) throw new Error(`report refused: ${result.statusCode} ${result.body}`);
    };
    const rawRead = () =>
      client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :s)',
          ExpressionAttributeValues: marshall({ ':pk': 'PROJECT#rail-2024', ':s': 'STATE#' }),
          ConsistentRead: true,
        }),
      );
    const productRead = async () => {
      const result = await getProject(
        httpEvent({ path: '/projects/rail-2024', pathParameters: { projectId: 'rail-2024' } }),
        lambdaContext(),
      );
      if (result.statusCode !== 200) throw new Error(`read failed: ${result.statusCode}`);
    };

    const rows: HandlerPathRow[] = [];
    const row = (name: string, product: number, baseline: number): HandlerPathRow => ({
      case: name,
      productMs: Math.round(product * 100) / 100,
      baselineMs: Math.round(baseline * 100) / 100,
      ratio: ratio(product, baseline),
    });
    // Baseline before and after the product run, averaged, so that warm-up drift favours neither.
    const around = async (product: () => Promise<unknown>, baseline: (i: number) => Promise<unknown>) => {
      const before = await time(ROUNDS, baseline);
      const measured = await time(ROUNDS, product);
      const after = await time(ROUNDS, baseline);
      return [measured, (before + after) / 2] as const;
    };
    const [prodW, rawW] = await around(productWrite, rawWrite);
    rows.push(row('record a milestone (POST handler) vs the same raw BatchGet + TransactWrite', prodW, rawW));
    const [prodR, rawR] = await around(productRead, rawRead);
    rows.push(row("read a project's progress (GET handler) vs the same raw Query", prodR, rawR));

    client.destroy();
    return rows;
  } finally {
    await dynamo.stop();
  }
};

/** The table `npm run bench` prints for these cases. */
export const handlerPathsTable = (rows: readonly HandlerPathRow[]): string =>
  [
    `${ROUNDS} sequential rounds each on DynamoDB Local (warm-up ${WARMUP})`,
    ...rows.map(
      (r) =>
        `${r.case}\n  product ${r.productMs.toFixed(2)} ms  baseline ${r.baselineMs.toFixed(2)} ms  ratio ${r.ratio.toFixed(2)}×`,
    ),
  ].join('\n\n');

export const HANDLER_PATH_ROUNDS = ROUNDS;
