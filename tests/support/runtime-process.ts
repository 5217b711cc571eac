import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../local/paths.js';
import { SETTLE_ROUTE } from '../../local/settle-route.js';

const run = promisify(execFile);

export interface RuntimeProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** The banner start.ts prints once the API listens (see local/start.ts); the bench's raw server prints it too. */
export const LISTENING = /listening on (http:\/\/\S+)/;
/** Java and the first table creation take seconds, many more on a loaded two-core machine. */
export const START_TIMEOUT_MS = 100_000;

/**
 * `npm start` as its own process group, without the npm and tsx wrappers, so that a test can
 * stop it gracefully (SIGTERM) or crash it together with its Java child (SIGKILL to the group).
 * Ready when it prints that it listens, and /health answers.
 */
export const spawnRuntime = async (env: Record<string, string>, port: number): Promise<RuntimeProcess> => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  let url: string | undefined;
  const listening = new Promise<string>((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (url !== undefined) return;
      url = LISTENING.exec(output)?.[1];
      if (url !== undefined) resolve(url);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    void exited.then(() => reject(new Error(`the local runtime exited before serving:\n${output}`)));
  });
  const runtime = { child, url: `http://127.0.0.1:${port}`, output: () => output, exited };
  let timer: NodeJS.Timeout | undefined;
  const tooLong = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the local runtime did not listen within ${START_TIMEOUT_MS} ms:\n${output}`)),
      START_TIMEOUT_MS,
    );
  });
  try {
    runtime.url = await Promise.race([listening, tooLong]);
    const health = await fetch(`${runtime.url}/health`);
    if (health.status !== 200) throw new Error(`/health answered ${health.status}:\n${output}`);
    return runtime;
  } catch (error) {
    // No process outlives a failed start: the test has no handle to stop it with.
    await killRuntime(runtime);
    throw error;
  } finally {
    clearTimeout(timer);
  }
};

/** Ctrl-C: the runtime stops its parts in order and exits. */
export const stopRuntime = async (runtime: RuntimeProcess): Promise<number | null> => {
  if (runtime.child.exitCode !== null || runtime.child.signalCode !== null) return runtime.exited;
  runtime.child.kill('SIGTERM');
  // Not a wait: the last resort for a runtime that hangs while stopping.
  const timer = setTimeout(() => killRuntime(runtime), 30_000);
  const code = await runtime.exited;
  clearTimeout(timer);
  return code;
};

/**
 * Whether a process of group `pgid` still runs. A zombie does not count: it holds no port and no
 * file, and an init that never reaps would otherwise keep it "alive" for ever.
 */
const groupRunning = async (pgid: number): Promise<boolean> => {
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  } catch {
    // No /proc (not Linux): signal 0 reaches the group while any member exists.
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so read after the last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') return true;
  }
  return false;
};

/**
 * A crash: SIGKILL, so nothing runs on exit. By default the whole process group dies, Java
 * included, and this resolves once none of it runs; with `databaseToo: false` only the runtime's
 * own process does (its port is free once it has exited).
 */
export const killRuntime = async (
  runtime: RuntimeProcess,
  options: { databaseToo?: boolean } = {},
): Promise<void> => {
  const pid = runtime.child.pid;
  if (pid === undefined) return;
  const databaseToo = options.databaseToo !== false;
  try {
    process.kill(databaseToo ? -pid : pid, 'SIGKILL');
  } catch {
    // already gone
  }
  await runtime.exited;
  if (databaseToo) {
    await waitFor(
      async () => ((await groupRunning(pid)) ? undefined : true),
      30_000,
      'the process group to end',
    );
  }
};

/**
 * Resolves once the runtime has settled: everything written so far published, fanned out and
 * attempted. What has not arrived by then is not coming: the barrier for "nothing more arrives".
 */
export const settle = async (runtime: RuntimeProcess | undefined): Promise<void> => {
  if (!runtime) throw new Error('the local runtime is not running');
  const response = await fetch(`${runtime.url}${SETTLE_ROUTE}`);
  if (response.status !== 200) {
    throw new Error(`${SETTLE_ROUTE} answered ${response.status}:\n${runtime.output().slice(-3000)}`);
  }
};

export const tokenFor = async (role: string, dataDir: string): Promise<string> => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'local/token.ts', role], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, TRACKER_DATA_DIR: dataDir },
  });
  return stdout.trim();
};

/**
 * A JSON client for a running runtime: `api(method, path, role, body?, headers?)` sends the
 * role's bearer token (from `tokens`) and parses the answer. The runtime is looked up per call,
 * so it keeps working across a restart.
 */
export const apiClient =
  (runtime: () => RuntimeProcess | undefined, tokens: ReadonlyMap<string, string>) =>
  async (
    method: string,
    path: string,
    role: string | null,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const response = await fetch(`${runtime()?.url}${path}`, {
      method,
      headers: {
        ...(role ? { authorization: `Bearer ${tokens.get(role)}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
  };

/** Polls `probe` until it gives a value; on timeout, fails with the runtime's recent output. */
export const waitFor = async <T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  what: string,
  runtime?: () => RuntimeProcess | undefined,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}\n${runtime?.()?.output().slice(-3000) ?? ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
