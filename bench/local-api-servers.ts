/**
 * The two servers of the local-API case, each in its own process: the local runtime as `npm start`
 * runs it (its own data dir, the catalogue seeded, its own DynamoDB Local), and the raw baseline
 * (raw-project-server.ts) on that same DynamoDB Local and table.
 *
 * Each writes to a log file, as `npm start` writes to a terminal: a pipe to this process, busy
 * sending load, could fill and hold the runtime's synchronous writes, a stall that is ours.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLE_NAME_ENV } from '../functions/storage/table-definition.js';
import { freePort, PID_FILE } from '../local/dynamodb-local.js';
import { PROJECT_ROOT } from '../local/paths.js';
import { readRuntimeEndpoints } from '../local/runtime-endpoints.js';
import { localDynamoEnv } from '../local/table.js';
import {
  LISTENING,
  type RuntimeProcess,
  START_TIMEOUT_MS,
  stopRuntime,
} from '../tests/support/runtime-process.js';

export interface LocalApiServers {
  runtimeUrl: string;
  rawUrl: string;
  /** The processes serving and answering, so that their CPU time can be read. */
  pids: { runtime: number | undefined; raw: number | undefined; database: number | undefined };
  /** Stops both servers and the database, and removes the data dir. Safe to call twice. */
  stop(): Promise<void>;
}

const QUIET_SDK = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

const tail = (file: string) => {
  try {
    return readFileSync(file, 'utf8').slice(-4_000);
  } catch {
    return '';
  }
};

/** `node --import tsx <script>` in its own process group, its output to `logFile`; resolves once it serves. */
const spawnServer = async (
  script: string,
  env: Record<string, string>,
  logFile: string,
): Promise<RuntimeProcess> => {
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...QUIET_SDK, ...env },
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const server: RuntimeProcess = { child, url: '', output: () => tail(logFile), exited };
  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const url = LISTENING.exec(tail(logFile))?.[1];
      if (url !== undefined) return { ...server, url };
      if (child.exitCode !== null) throw new Error(`${script} exited before serving:\n${tail(logFile)}`);
      if (Date.now() > deadline) {
        throw new Error(`${script} did not serve within ${START_TIMEOUT_MS} ms:\n${tail(logFile)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await stopRuntime(server);
    throw error;
  }
};

export const startLocalApiServers = async (): Promise<LocalApiServers> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-local-api-'));
  const started: RuntimeProcess[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      // The raw server first: the runtime takes the database down with it.
      for (const server of started.reverse()) await stopRuntime(server);
      rmSync(dataDir, { recursive: true, force: true });
    })();
    return stopping;
  };
  try {
    const runtime = await spawnServer(
      'local/start.ts',
      { TRACKER_DATA_DIR: dataDir, PORT: String(await freePort()), HOST: '127.0.0.1' },
      join(dataDir, 'runtime.log'),
    );
    started.push(runtime);
    const endpoints = readRuntimeEndpoints(dataDir);
    if (endpoints === null) throw new Error(`the runtime wrote no endpoints to ${dataDir}`);
    const raw = await spawnServer(
      'bench/raw-project-server.ts',
      {
        ...localDynamoEnv(endpoints.dynamoEndpoint),
        [TABLE_NAME_ENV]: endpoints.tableName,
        PORT: String(await freePort()),
      },
      join(dataDir, 'raw.log'),
    );
    started.push(raw);
    const database = Number(readFileSync(join(dataDir, 'dynamodb', PID_FILE), 'utf8').trim());
    return {
      runtimeUrl: runtime.url,
      rawUrl: raw.url,
      pids: {
        runtime: runtime.child.pid,
        raw: raw.child.pid,
        database: Number.isInteger(database) ? database : undefined,
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
