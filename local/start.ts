/**
 * `npm start`: DynamoDB Local (data kept under the data dir), the table, the 2024 catalogue and
 * the HTTP API with the real handlers on http://127.0.0.1:3000.
 */
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CATALOGUE_2024 } from '../functions/domain/catalogue-2024.js';
import type { Project } from '../functions/domain/project.js';
import { createDocumentClient } from '../functions/storage/client.js';
import { ProjectRepository } from '../functions/storage/project-repository.js';
import { TABLE_NAME_ENV } from '../functions/storage/table-definition.js';
import { STAGES } from '../lib/stage-config.js';
import { type DynamoDbLocal, JAVA_MISSING_MESSAGE, startDynamoDbLocal } from './dynamodb-local.js';
import { loadLocalAuth } from './local-auth.js';
import { dataDirFromEnv } from './paths.js';
import { createLocalServer, type LocalServer } from './server.js';
import { ensureTable, localDynamoEnv } from './table.js';

const DEFAULT_TABLE_NAME = 'livelihood-tracker-local';

const parsePort = (value: string | undefined, name: string, fallback: number | undefined) => {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`${name} must be a port number`);
  return port;
};

const main = async () => {
  const dataDir = dataDirFromEnv();
  const port = parsePort(process.env.PORT, 'PORT', 3000) ?? 3000;
  const host = process.env.HOST || '127.0.0.1';
  const tableName = process.env.TRACKER_TABLE_NAME || DEFAULT_TABLE_NAME;

  let dynamo: DynamoDbLocal | undefined;
  let server: LocalServer | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    try {
      await server?.close();
      await dynamo?.stop();
      process.exit(0);
    } catch (error) {
      console.error(error);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    dynamo = await startDynamoDbLocal({
      port: parsePort(process.env.DYNAMODB_PORT, 'DYNAMODB_PORT', undefined),
      dataDir: join(dataDir, 'dynamodb'),
    });
  } catch (error) {
    if (error instanceof Error && error.message.startsWith(JAVA_MISSING_MESSAGE)) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  if (stopping) return;

  // Before any handler runs: handlers build their clients from the standard AWS environment.
  Object.assign(process.env, localDynamoEnv(dynamo.endpoint), { [TABLE_NAME_ENV]: tableName });

  const client = new DynamoDBClient({});
  const created = await ensureTable(client, tableName);
  const now = new Date().toISOString();
  const projects: Project[] = CATALOGUE_2024.map((entry) => ({ ...entry, version: 1, updatedAt: now }));
  const seeded = await new ProjectRepository({ db: createDocumentClient(client), tableName }).seed(projects);

  const auth = await loadLocalAuth(dataDir);
  server = await createLocalServer({ stage: STAGES.local, verify: auth.verifyToken, port, host });
  if (stopping) {
    await server.close();
    return;
  }

  const lines = [
    '',
    `livelihood-tracker (local) listening on ${server.url}`,
    `  DynamoDB Local  ${dynamo.endpoint}  table ${tableName} (${created ? 'created' : 'kept'})`,
    `  data            ${dataDir}`,
    '  2024 catalogue:',
    ...projects.map((project) => `    ${seeded.includes(project.id) ? 'seeded' : 'kept  '}  ${project.id}`),
    '',
    '  Reads are public on the local stage; writes need a token:',
    '    TOKEN=$(npm run -s token -- jiangsu)   # or shanghai, zhejiang, anhui, coordinator',
    `    curl -s -X POST ${server.url}/projects/rail-2024/milestones \\`,
    '      -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \\',
    '      -H "Idempotency-Key: $(uuidgen || date +%s%N)" \\',
    `      -d '{"value": 210, "asOf": "2024-06-30"}'`,
    `    curl -s ${server.url}/projects/rail-2024`,
    '',
    '  Ctrl-C stops the API and DynamoDB Local; data stays for the next start.',
    '',
  ];
  console.log(lines.join('\n'));
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
