/**
 * One local runtime (`npm start` as a process, see runtime-process.ts) for a test file: started
 * in beforeAll on a fresh data directory with retry delays at a ten-thousandth of their length,
 * stopped in afterAll, with tokens for every office, webhook sinks, and clients that report and
 * subscribe the way the API asks callers to.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { PROVINCES } from '../../functions/domain/provinces.js';
import { freePort } from '../../local/dynamodb-local.js';
import {
  apiClient,
  killRuntime,
  type RuntimeProcess,
  spawnRuntime,
  stopRuntime,
  tokenFor,
  waitFor as waitForValue,
} from './runtime-process.js';
import { startWebhookSink } from './webhook-sink.js';

export type WebhookSink = Awaited<ReturnType<typeof startWebhookSink>>;

/** The Standard Webhooks requests a sink received, with their webhook-id and parsed payload. */
export const hooksOf = (received: { body: string; headers: Record<string, unknown> }[]) =>
  received.map((hook) => ({
    id: String(hook.headers['webhook-id']),
    ...(JSON.parse(hook.body) as { type: string; data: Record<string, unknown> }),
  }));

/** An ISO date of January 2024 onwards: day 1 is 2024-01-01. */
export const day = (n: number) => new Date(Date.UTC(2024, 0, n)).toISOString().slice(0, 10);

/** `env` adds to (or overrides) the runtime's environment, e.g. WATCHDOG_INTERVAL_SECONDS. */
export const runtimeSession = (prefix: string, extraEnv: Record<string, string> = {}) => {
  let dataDir = '';
  let port = 0;
  let runtime: RuntimeProcess | undefined;
  const tokens = new Map<string, string>();
  const sinks: WebhookSink[] = [];

  const env = () => ({
    TRACKER_DATA_DIR: dataDir,
    LOCAL_TIME_SCALE: '0.0001',
    DYNAMODB_PORT: '',
    TRACKER_TABLE_NAME: '',
    ...extraEnv,
  });

  /** Starts the runtime on the session's data directory and port (again, after a crash). */
  const start = async () => {
    runtime = await spawnRuntime(env(), port);
    return runtime;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), `tracker-${prefix}-`));
    port = await freePort();
    await start();
    for (const role of [...PROVINCES, 'coordinator']) tokens.set(role, await tokenFor(role, dataDir));
    // Java and the first table creation, then a token per office: slow on a loaded two-core machine.
  }, 180_000);

  afterAll(async () => {
    if (runtime) await stopRuntime(runtime);
    await Promise.all(sinks.map((sink) => sink.close()));
    await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  const current = () => runtime;
  const api = apiClient(current, tokens);

  const sink = async (respond?: Parameters<typeof startWebhookSink>[0]) => {
    const created = await startWebhookSink(respond);
    sinks.push(created);
    return created;
  };

  const subscribe = async (role: string, url: string, projectIds: string[]) => {
    const created = await api('POST', '/subscriptions', role, { url, projectIds, description: prefix });
    expect(created.status).toBe(201);
    return created.json as { id: string; secret: string };
  };

  /**
   * Reports like a careful client: retries 409 concurrent-modification and 503 (any answer with
   * Retry-After), and a request nobody answered (the runtime is down), for up to three minutes,
   * always with the same key. `attempts` says how many requests it took.
   */
  const report = async (
    projectId: string,
    role: string,
    body: Record<string, unknown>,
    key = randomUUID(),
  ) => {
    const deadline = Date.now() + 180_000;
    for (let attempt = 1; ; attempt++) {
      const result = await api('POST', `/projects/${projectId}/milestones`, role, body, {
        'idempotency-key': key,
      }).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
      const again = result instanceof Error || result.headers.get('retry-after') !== null;
      if (!again || Date.now() > deadline) {
        if (result instanceof Error) throw result;
        return { ...result, attempts: attempt };
      }
      // Not synchronisation: a client's jittered backoff, so clients that collided do not collide again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 500));
    }
  };

  const waitFor = <T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string) =>
    waitForValue(probe, timeoutMs, what, current);

  /** The subscription's delivery log, newest first. */
  const deliveriesOf = async (subscriptionId: string, role: string) => {
    const log = await api('GET', `/subscriptions/${subscriptionId}/deliveries`, role);
    expect(log.status).toBe(200);
    return log.json.deliveries as Record<string, unknown>[];
  };

  return {
    api,
    runtime: current,
    /** The runtime's data directory (its endpoints file, for tools run beside it). */
    dataDir: () => dataDir,
    /** The API's port, the same across restarts. */
    port: () => port,
    start,
    /** SIGKILL (see killRuntime): by default the whole process group, DynamoDB Local included. */
    kill: async (options?: Parameters<typeof killRuntime>[1]) => {
      if (runtime) await killRuntime(runtime, options);
    },
    sink,
    subscribe,
    report,
    waitFor,
    deliveriesOf,
  };
};
