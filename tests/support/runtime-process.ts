import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../local/paths.js';

const run = promisify(execFile);

export interface RuntimeProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * `npm start` as its own process group, without the npm and tsx wrappers, so that a test can
 * stop it gracefully (SIGTERM) or crash it together with its Java child (SIGKILL to the group).
 */
export const spawnRuntime = async (env: Record<string, string>, port: number): Promise<RuntimeProcess> => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let ended = false;
  void exited.then(() => {
    ended = true;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (ended) throw new Error(`the local runtime exited before serving:\n${output}`);
    try {
      if ((await fetch(`${url}/health`)).status === 200) return { child, url, output: () => output, exited };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the local runtime did not serve /health in time:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

/** Ctrl-C: the runtime stops its parts in order and exits. */
export const stopRuntime = async (runtime: RuntimeProcess): Promise<number | null> => {
  if (runtime.child.exitCode !== null || runtime.child.signalCode !== null) return runtime.exited;
  runtime.child.kill('SIGTERM');
  const timer = setTimeout(() => killRuntime(runtime), 15_000);
  const code = await runtime.exited;
  clearTimeout(timer);
  return code;
};

/**
 * A crash: SIGKILL, so nothing runs on exit. By default the whole process group dies, Java
 * included; with `databaseToo: false` only the runtime's own process does.
 */
export const killRuntime = async (
  runtime: RuntimeProcess,
  options: { databaseToo?: boolean } = {},
): Promise<void> => {
  if (runtime.child.pid === undefined) return;
  try {
    process.kill(options.databaseToo === false ? runtime.child.pid : -runtime.child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  await runtime.exited;
  // Give the group's other members (Java) a moment to be reaped before ports are reused.
  await new Promise((resolve) => setTimeout(resolve, 500));
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
