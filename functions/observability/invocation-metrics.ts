import { AsyncLocalStorage } from 'node:async_hooks';
import { type Metrics, MetricsBatch } from './metrics.js';

/** Where an invocation's EMF documents go once it ends. */
export type MetricsOutput = (documents: readonly Record<string, unknown>[]) => void;

/**
 * Lambda: each document one JSON line on stdout, written in one call. Not `console.log`: under
 * Lambda's JSON log format the runtime wraps a logged string in `{"level":…,"message":"…"}`, and
 * CloudWatch extracts metrics only from a document at the top level of the log event.
 */
export const stdoutOutput: MetricsOutput = (documents) => {
  process.stdout.write(documents.map((document) => `${JSON.stringify(document)}\n`).join(''));
};

let output: MetricsOutput = stdoutOutput;

/**
 * Sends documents elsewhere than stdout from now on (the local runtime, whose terminal they would
 * flood); returns the output it replaces.
 */
export const writeMetricsTo = (next: MetricsOutput): MetricsOutput => {
  const previous = output;
  output = next;
  return previous;
};

/** Every function has STAGE (lib/tracker-function.ts); the local runtime and tests may not. */
const stage = (): string => process.env.STAGE || 'local';

const flush = (batch: MetricsBatch): void => {
  if (batch.empty) return;
  try {
    output(batch.documents(stage(), new Date()));
  } catch {
    // Counting must never fail the work it counts.
  }
};

const current = new AsyncLocalStorage<MetricsBatch>();

/**
 * The metrics of the invocation under way (see `withMetrics`): what the deployed handlers give
 * their services. Outside an invocation (a script), a value is written at once.
 */
export const invocationMetrics: Metrics = {
  add: (name, value, dimensions) => {
    const batch = current.getStore();
    if (batch !== undefined) {
      batch.add(name, value, dimensions);
      return;
    }
    const alone = new MetricsBatch();
    alone.add(name, value, dimensions);
    flush(alone);
  },
};

/**
 * Gathers what `invocationMetrics` records during one invocation of `handler` and writes it when
 * the invocation ends, also when it fails. Each invocation has its own batch, also when several
 * run at once in one process (the local runtime).
 */
export const withMetrics =
  <A extends unknown[], R>(handler: (...args: A) => Promise<R>) =>
  async (...args: A): Promise<R> => {
    const batch = new MetricsBatch();
    try {
      return await current.run(batch, () => handler(...args));
    } finally {
      flush(batch);
    }
  };
