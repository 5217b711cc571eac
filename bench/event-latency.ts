/**
 * The bench's event-latency case: how long an office's report takes to reach a subscriber as a
 * signed webhook on the local runtime, started as `npm start` starts it (its own process, a fresh
 * data directory, DynamoDB Local, the emulated stream, bus and queues).
 *
 * Reports go one at a time, each waiting for its hook, then a random pause of up to one stream
 * poll interval, so that reports land at every point of the poller's cycle rather than in step
 * with it. A report's latency runs from just before its POST is sent to the moment the sink has
 * received its MilestoneRecorded hook and verified the signature with the subscription's secret;
 * a hook that fails verification fails the bench. A few reports first warm the handlers up (their
 * cold start is the cold-start case's) and are not counted.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../local/dynamodb-local.js';
import { STREAM_POLL_INTERVAL_MS } from '../local/streams/index.js';
import {
  apiClient,
  type RuntimeProcess,
  settle,
  spawnRuntime,
  stopRuntime,
  tokenFor,
} from '../tests/support/runtime-process.js';
import { percentile } from './percentile.js';
import type { BenchRow } from './summary.js';
import { startVerifyingSink, type VerifyingSink } from './verifying-sink.js';
import { type HopShare, hopShares, logMarks, matchReports, type SentReport } from './webhook-timings.js';

export const EVENT_LATENCY_REPORTS = Number(process.env.BENCH_EVENT_REPORTS ?? 100);
const WARMUP_REPORTS = 5;
const PROJECT = 'ev-charging-2024';
const OFFICE = 'jiangsu';

export interface EventLatencyResult {
  reports: number;
  warmupReports: number;
  pollIntervalMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  hops: HopShare[];
  rows: BenchRow[];
}

/** The case's rows: the goal, from the issue, is on p50 (the poll interval + 50 ms); p95 and max are shown without one. */
export const eventLatencyRows = (latenciesMs: readonly number[], pollIntervalMs: number): BenchRow[] => {
  const row = (measure: string, value: number, goal: BenchRow['goal']): BenchRow => ({
    case: 'event-latency',
    subject: 'POST → signed webhook',
    measure,
    unit: 'ms',
    value,
    baseline: null,
    ratio: null,
    goal,
  });
  return [
    row('p50', percentile(latenciesMs, 50), { kind: 'valueAtMost', limit: pollIntervalMs + 50 }),
    row('p95', percentile(latenciesMs, 95), null),
    row('max', percentile(latenciesMs, 100), null),
  ];
};

/** An ISO date of 2024: day 1 is 2024-01-01 (reports need rising, past as-of dates). */
const day = (n: number) => new Date(Date.UTC(2024, 0, n)).toISOString().slice(0, 10);

/** Subscribes, reports `count + WARMUP_REPORTS` times, and returns the counted reports. */
const sendReports = async (runtime: RuntimeProcess, token: string, sink: VerifyingSink, count: number) => {
  const api = apiClient(() => runtime, new Map([[OFFICE, token]]));
  const subscribed = await api('POST', '/subscriptions', OFFICE, {
    url: sink.url,
    projectIds: [PROJECT],
    description: 'bench: event latency',
  });
  if (subscribed.status !== 201) throw new Error(`subscribing answered ${subscribed.status}`);
  sink.useSecret((subscribed.json as { secret: string }).secret);

  const reports: SentReport[] = [];
  for (let n = 1; n <= WARMUP_REPORTS + count; n++) {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * STREAM_POLL_INTERVAL_MS));
    const sentAt = Date.now();
    const posted = await api(
      'POST',
      `/projects/${PROJECT}/milestones`,
      OFFICE,
      { value: n, asOf: day(n) },
      {
        'idempotency-key': randomUUID(),
      },
    );
    const answeredAt = Date.now();
    if (posted.status !== 201)
      throw new Error(`report ${n} answered ${posted.status}: ${JSON.stringify(posted.json)}`);
    const milestoneId = (posted.json as { milestone: { id: string } }).milestone.id;
    await sink.hookFor(milestoneId);
    if (n > WARMUP_REPORTS) reports.push({ milestoneId, sentAt, answeredAt });
  }
  return reports;
};

/** Runs the case on a runtime of its own, stopped (with its data) whatever happens. */
export const measureEventLatency = async (count = EVENT_LATENCY_REPORTS): Promise<EventLatencyResult> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tracker-bench-latency-'));
  const sink = await startVerifyingSink();
  let runtime: RuntimeProcess | undefined;
  try {
    runtime = await spawnRuntime(
      {
        TRACKER_DATA_DIR: dataDir,
        // The hop marks are read from the handlers' JSON lines.
        LOG_FORMAT: 'json',
        WATCHDOG_INTERVAL_SECONDS: '0',
        LOCAL_TIME_SCALE: '',
        DYNAMODB_PORT: '',
        TRACKER_TABLE_NAME: '',
      },
      await freePort(),
    );
    const token = await tokenFor(OFFICE, dataDir);
    // The seeded catalogue's events are through before anyone subscribes.
    await settle(runtime);
    const reports = await sendReports(runtime, token, sink, count);
    const latencies = matchReports(reports, sink.verified);
    const ms = latencies.map((latency) => latency.ms);
    const rows = eventLatencyRows(ms, STREAM_POLL_INTERVAL_MS);
    return {
      reports: latencies.length,
      warmupReports: WARMUP_REPORTS,
      pollIntervalMs: STREAM_POLL_INTERVAL_MS,
      p50Ms: percentile(ms, 50),
      p95Ms: percentile(ms, 95),
      maxMs: percentile(ms, 100),
      hops: hopShares(latencies, logMarks(runtime.output())),
      rows,
    };
  } finally {
    if (runtime) await stopRuntime(runtime);
    await sink.close();
    await rm(dataDir, { recursive: true, force: true });
  }
};
