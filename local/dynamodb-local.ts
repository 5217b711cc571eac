/**
 * Runs the official DynamoDB Local (the jar shipped inside amplify-dynamodb-simulator) as a child
 * process: for `npm start` with data kept on disk, and for the test run in memory.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

export const JAVA_MISSING_MESSAGE =
  'Java 17+ is needed to run DynamoDB Local: apt-get install -y openjdk-17-jre-headless';

export interface DynamoDbLocalOptions {
  /** Port to listen on; a free one is picked when omitted. */
  port?: number;
  /** Directory for the database file (created if missing); `null` or omitted runs in memory. */
  dataDir?: string | null;
  /** Receives every line DynamoDB Local prints. */
  log?: (line: string) => void;
  /** How long to wait for the first successful ListTables. */
  startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  port: number;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. Safe to call twice. */
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 5_000;
const OUTPUT_TAIL_CHARS = 8_000;

/** The emulator directory holding DynamoDBLocal.jar and DynamoDBLocal_lib. */
export const emulatorDir = (): string => {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
};

/** Throws the install hint when `java` is absent or older than 17. */
export const checkJava = (): void => {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new Error(JAVA_MISSING_MESSAGE);
  // `java -version` prints to stderr: openjdk version "17.0.15" / java version "1.8.0_392"
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (match) {
    const major = match[1] === '1' ? Number(match[2]) : Number(match[1]);
    if (major < 17) throw new Error(`${JAVA_MISSING_MESSAGE} (found Java ${major})`);
  }
};

/** Asks the OS for a free TCP port on the loopback interface. */
export const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolvePort(port) : reject(new Error('Could not pick a free port'))));
    });
  });

const localClient = (endpoint: string) =>
  new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
  });

const delay = (ms: number) => new Promise((done) => setTimeout(done, ms));

class StartupError extends Error {
  constructor(
    message: string,
    readonly portInUse: boolean,
  ) {
    super(message);
  }
}

/** Starts DynamoDB Local and resolves once it answers ListTables. */
export const startDynamoDbLocal = async (options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> => {
  checkJava();
  const dataDir = options.dataDir == null ? null : resolve(options.dataDir);
  if (dataDir !== null) {
    mkdirSync(dataDir, { recursive: true });
    await stopStaleInstance(dataDir);
  }
  // A picked port can be taken between our probe and Java binding it: pick again a few times.
  const attempts = options.port === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await launch(port, dataDir, options);
    } catch (error) {
      if (!(error instanceof StartupError && error.portInUse && attempt < attempts)) throw error;
    }
  }
};

export const PID_FILE = 'dynamodb-local.pid';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Whether `pid` is a DynamoDB Local (and not an unrelated process that reused the number). */
const isDynamoDbLocal = (pid: number): boolean => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('DynamoDBLocal.jar');
  } catch {
    // No /proc (not Linux): trust the pid file if the process is alive.
    return isAlive(pid);
  }
};

/**
 * A run that crashed (SIGKILL, power loss of the parent) leaves its DynamoDB Local running on
 * the same files. Stop it gracefully, so that it writes out what it acknowledged, before a new
 * one opens them: DynamoDB Local is only durable when it is allowed to shut down.
 */
const stopStaleInstance = async (dataDir: string): Promise<void> => {
  const file = join(dataDir, PID_FILE);
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && isDynamoDbLocal(pid)) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + STOP_GRACE_MS * 2;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(file, { force: true });
};

const launch = async (port: number, dataDir: string | null, options: DynamoDbLocalOptions) => {
  const dir = emulatorDir();
  const args = [
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    // One database regardless of access key and region: the tests, the seeding and the handlers
    // may sign with different regions, and must all see the same tables.
    '-sharedDb',
    '-disableTelemetry',
    ...(dataDir === null ? ['-inMemory'] : ['-dbPath', dataDir]),
  ];
  // DynamoDB Local writes dynamodb-local-metadata.json into its working directory: keep it out of
  // the project, next to the data or in a scratch directory removed on stop.
  const scratchDir = dataDir === null ? mkdtempSync(join(tmpdir(), 'dynamodb-local-')) : null;
  const child = spawn('java', args, {
    cwd: dataDir ?? scratchDir ?? tmpdir(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const endpoint = `http://127.0.0.1:${port}`;

  let stderrTail = '';
  let stdoutTail = '';
  const forward = (stream: NodeJS.ReadableStream, append: (text: string) => void) => {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      append(chunk);
      if (!options.log) return;
      pending += chunk;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') options.log(line);
    });
  };
  forward(child.stdout, (text) => {
    stdoutTail = (stdoutTail + text).slice(-OUTPUT_TAIL_CHARS);
  });
  forward(child.stderr, (text) => {
    stderrTail = (stderrTail + text).slice(-OUTPUT_TAIL_CHARS);
  });

  const exited = new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done();
    else {
      child.once('exit', () => done());
      child.once('error', () => done());
    }
  });
  let exitInfo: string | null = null;
  child.once('exit', (code, signal) => {
    exitInfo = signal ? `signal ${signal}` : `code ${code}`;
  });
  let spawnError: Error | null = null;
  child.once('error', (error) => {
    spawnError = error;
  });

  // The child must not outlive this process, however this process ends.
  const removeScratch = () => {
    if (scratchDir !== null) rmSync(scratchDir, { recursive: true, force: true });
  };
  // SIGTERM, not SIGKILL: DynamoDB Local then still writes out what it acknowledged.
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    removeScratch();
  };
  const pidFile = dataDir === null ? null : join(dataDir, PID_FILE);
  if (pidFile !== null && child.pid !== undefined) writeFileSync(pidFile, String(child.pid));
  process.once('exit', killOnExit);

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        }, STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      process.removeListener('exit', killOnExit);
      removeScratch();
      if (pidFile !== null) rmSync(pidFile, { force: true });
    })();
    return stopping;
  };

  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const client = localClient(endpoint);
  try {
    for (;;) {
      if (spawnError !== null) throw new Error(`${JAVA_MISSING_MESSAGE} (${String(spawnError)})`);
      if (exitInfo !== null) {
        const output = stderrTail.trim() || stdoutTail.trim() || '(no output)';
        throw new StartupError(
          `DynamoDB Local exited during startup (${exitInfo}):\n${output}`,
          /BindException|Failed to bind/.test(output),
        );
      }
      // On a taken port DynamoDB Local prints the BindException but does not exit.
      const printed = `${stderrTail}\n${stdoutTail}`;
      if (/BindException|Failed to bind/.test(printed)) {
        throw new StartupError(`DynamoDB Local could not listen on port ${port}:\n${printed.trim()}`, true);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
        return { endpoint, port, stop };
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(
          `DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms:\n${stderrTail.trim() || stdoutTail.trim()}`,
        );
      }
      await delay(150);
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
};
