/**
 * `npm start`: the whole product on this machine (see runtime.ts), its data kept under the data
 * dir, the HTTP API on http://127.0.0.1:3000.
 */
import { bufferOutput } from './buffered-output.js';
import { JAVA_MISSING_MESSAGE } from './dynamodb-local.js';
import { dataDirFromEnv } from './paths.js';
import { DEFAULT_TABLE_NAME, type LocalRuntime, startLocalRuntime } from './runtime.js';
import { MAX_INTERVAL_SECONDS, WATCHDOG_ROUTE } from './watchdog-timer.js';

const parsePort = (value: string | undefined, name: string, fallback: number | undefined) => {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`${name} must be a port number`);
  return port;
};

const parseScale = (value: string | undefined): number => {
  if (value === undefined || value === '') return 1;
  const scale = Number(value);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 1)
    throw new Error('LOCAL_TIME_SCALE must be in (0, 1]');
  return scale;
};

/** WATCHDOG_INTERVAL_SECONDS: unset, daily at 09:00 China time; 0, never; N, every N seconds. */
const parseWatchdogInterval = (value: string | undefined): number | undefined => {
  if (value === undefined || value === '') return undefined;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_INTERVAL_SECONDS) {
    throw new Error(`WATCHDOG_INTERVAL_SECONDS must be a whole number from 0 to ${MAX_INTERVAL_SECONDS}`);
  }
  return seconds;
};

const main = async () => {
  // Every line still arrives, in order, also at exit and crash: see buffered-output.ts.
  bufferOutput([process.stdout, process.stderr]);
  const dataDir = dataDirFromEnv();
  let runtime: LocalRuntime | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    try {
      await runtime?.stop();
      process.exit(0);
    } catch (error) {
      console.error(error);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    runtime = await startLocalRuntime({
      dataDir,
      port: parsePort(process.env.PORT, 'PORT', 3000) ?? 3000,
      host: process.env.HOST || '127.0.0.1',
      tableName: process.env.TRACKER_TABLE_NAME || DEFAULT_TABLE_NAME,
      dynamoPort: parsePort(process.env.DYNAMODB_PORT, 'DYNAMODB_PORT', undefined),
      timeScale: parseScale(process.env.LOCAL_TIME_SCALE),
      watchdogIntervalSeconds: parseWatchdogInterval(process.env.WATCHDOG_INTERVAL_SECONDS),
    });
  } catch (error) {
    if (error instanceof Error && error.message.startsWith(JAVA_MISSING_MESSAGE)) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  if (stopping) {
    await runtime.stop();
    return;
  }
  const { url, projects, seeded } = runtime;
  const nextWatchdogRun = runtime.nextWatchdogRun();
  const lines = [
    '',
    `livelihood-tracker (local) listening on ${url}`,
    `  DynamoDB Local  ${runtime.dynamoEndpoint}  table ${runtime.tableName} (${runtime.tableCreated ? 'created' : 'kept'})`,
    `  data            ${dataDir}`,
    '  events          table stream → publisher → local bus → notifier → delivery queue → webhooks',
    `  watchdog        ${nextWatchdogRun ? `next run ${nextWatchdogRun.toISOString()}` : 'timer off'}; run it now: npm run watchdog (POST ${WATCHDOG_ROUTE})`,
    '  2024 catalogue:',
    ...projects.map((project) => `    ${seeded.includes(project.id) ? 'seeded' : 'kept  '}  ${project.id}`),
    '',
    '  Reads are public on the local stage; writes need a token:',
    '    TOKEN=$(npm run -s token -- jiangsu)   # or shanghai, zhejiang, anhui, coordinator',
    `    curl -s -X POST ${url}/projects/rail-2024/milestones \\`,
    '      -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \\',
    '      -H "Idempotency-Key: $(uuidgen || date +%s%N)" \\',
    `      -d '{"value": 210, "asOf": "2024-06-30"}'`,
    `    curl -s ${url}/projects/rail-2024`,
    '',
    '  Ctrl-C stops everything; data, queued deliveries and unpublished events stay for the next start.',
    '',
  ];
  console.log(lines.join('\n'));
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
