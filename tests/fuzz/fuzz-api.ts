/**
 * The API as `npm start` serves it (local/server.ts, real JWT verification), every handler built
 * with its factory on a table of the test run's DynamoDB Local, and a raw HTTP client that sends
 * paths exactly as generated (fetch would normalise `..` and re-encode).
 */
import { Agent, request } from 'node:http';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { RouteDefinition } from '../../functions/http/routes.js';
import { ScanCommand } from '../../functions/storage/document-client.js';
import { ProjectRepository } from '../../functions/storage/project-repository.js';
import { STAGES } from '../../lib/stage-config.js';
import type { LocalAuth } from '../../local/local-auth.js';
import { createLocalServer, defaultHandlerLoader, type LambdaHandler } from '../../local/server.js';
import { type LocalQueues, startLocalQueues } from '../../local/sqs/index.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { allCatalogueProjects } from '../support/fixtures.js';
import { testSecretBox } from '../support/secret-box.js';
import type { FuzzRequest } from './request-arbitrary.js';

export interface FuzzResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface FuzzApi {
  send(request: FuzzRequest): Promise<FuzzResponse>;
  /** Items in the table, as DescribeTable counts them. */
  itemCount(): Promise<number>;
  /** Items in the table, as a Scan counts them: slower, and what itemCount is checked against. */
  scannedCount(): Promise<number>;
  stop(): Promise<void>;
}

/** A factory is `create…Handler(deps)`; routes that need no table keep their default handler. */
const handlerLoader =
  (deps: Record<string, unknown>) =>
  async (route: RouteDefinition): Promise<LambdaHandler> => {
    if (route.tableAccess === 'none') return defaultHandlerLoader(route);
    const module = (await import(`../../functions/handlers/${route.handler}.ts`)) as Record<string, unknown>;
    const factory = Object.entries(module).find(
      ([name, value]) => /^create\w*Handler$/.test(name) && typeof value === 'function',
    )?.[1] as ((deps: unknown) => LambdaHandler) | undefined;
    if (!factory) throw new Error(`functions/handlers/${route.handler}.ts exports no create…Handler factory`);
    return factory(deps);
  };

/** One API on its own table; tokens are signed with `auth`, which every API of the run shares. */
export const startFuzzApi = async (auth: LocalAuth): Promise<FuzzApi> => {
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) await step();
  };
  try {
    const table: TestTable = await createTestTable('fuzz');
    stops.push(() => table.drop());
    await new ProjectRepository({ db: table.doc, tableName: table.tableName }).seed(allCatalogueProjects());
    const queues: LocalQueues = await startLocalQueues({
      dataDir: null,
      queues: [
        { name: 'deliveries', visibilityTimeoutSeconds: 30, batchSize: 10 },
        // Replays start here; nothing consumes them in this test.
        { name: 'replays', visibilityTimeoutSeconds: 30, batchSize: 10 },
      ],
    });
    stops.push(() => queues.close());
    const sqs = new SQSClient({ endpoint: queues.endpoint, region: 'us-east-1' });
    stops.push(async () => sqs.destroy());
    const server = await createLocalServer({
      verify: auth.verifyToken,
      quiet: true,
      loadHandler: handlerLoader({
        db: table.doc,
        tableName: table.tableName,
        now: () => new Date(),
        sqs,
        deliveryQueueUrl: queues.queueUrl('deliveries'),
        replayQueueUrl: queues.queueUrl('replays'),
        sealer: testSecretBox(),
        allowLocalhost: false,
        allowedWebhookPorts: STAGES.local.allowedWebhookPorts,
        maxSubscriptionsPerOffice: STAGES.local.maxSubscriptionsPerOffice,
        // Webhook hosts resolve to a public documentation address: no DNS from the test.
        lookup: async () => [{ address: '93.184.216.34', family: 4 }],
      }),
    });
    stops.push(() => server.close());
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    stops.push(async () => agent.destroy());

    const send = (fuzz: FuzzRequest) =>
      new Promise<FuzzResponse>((resolve, reject) => {
        const outgoing = request(
          {
            // Host, port and path apart: a URL string would be normalised before it is sent.
            host: '127.0.0.1',
            port: server.port,
            path: fuzz.target.startsWith('/') ? fuzz.target : `/${fuzz.target}`,
            method: fuzz.method,
            agent,
            headers: {
              ...fuzz.headers,
              ...(fuzz.body ? { 'content-length': String(fuzz.body.byteLength) } : {}),
            },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                headers: response.headers,
                body: Buffer.concat(chunks).toString('utf8'),
              }),
            );
            response.on('error', reject);
          },
        );
        outgoing.on('error', reject);
        outgoing.end(fuzz.body);
      });

    // DynamoDB Local counts the table's items on every DescribeTable (AWS refreshes ItemCount only
    // every few hours): exact here, and unlike a Scan it costs the same however many items there are.
    const itemCount = async () => {
      const { Table } = await table.client.send(new DescribeTableCommand({ TableName: table.tableName }));
      if (Table?.ItemCount === undefined) throw new Error('DescribeTable gave no ItemCount');
      return Table.ItemCount;
    };

    const scannedCount = async () => {
      let count = 0;
      let from: Record<string, unknown> | undefined;
      do {
        const page = await table.doc.send(
          new ScanCommand({ TableName: table.tableName, Select: 'COUNT', ExclusiveStartKey: from }),
        );
        count += page.Count ?? 0;
        from = page.LastEvaluatedKey;
      } while (from);
      return count;
    };

    return { send, itemCount, scannedCount, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
