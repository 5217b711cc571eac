/**
 * The local-API case (issue #10, point 4): the local runtime serving GET /projects/{id} to 32
 * keep-alive connections, against a raw node:http server sending the same Query to the same
 * DynamoDB Local. Both serve in turn, in slices (raw, runtime, raw, runtime, …), so that a machine
 * growing busier or quieter during the run weighs on both; the figures add the slices up.
 */
import { CATALOGUE_2024 } from '../functions/domain/catalogue-2024.js';
import { type LoadResult, mergeLoads, runLoad, throughput } from './load-generator.js';
import { startLocalApiServers } from './local-api-servers.js';
import { percentile } from './percentile.js';
import { processCpuMs } from './process-cpu.js';
import { interleaved, ratio } from './stats.js';
import type { BenchGoal, BenchRow } from './summary.js';

export const LOCAL_API_CONNECTIONS = 32;
/** issue #10's goal: the runtime's throughput at least this share of the raw server's. */
export const LOCAL_API_GOAL = 0.9;
const WARM_UP_MS = 1_000;

export interface LocalApiSettings {
  /** Load time for each server, split over the slices (BENCH_API_SECONDS, 10 by default). */
  seconds: number;
  /** How many slices each server gets (BENCH_API_ROUNDS, 5 by default). */
  rounds: number;
}

export const localApiSettings = (env: NodeJS.ProcessEnv = process.env): LocalApiSettings => {
  const seconds = Number(env.BENCH_API_SECONDS || 10);
  const rounds = Number(env.BENCH_API_ROUNDS || 5);
  if (!(seconds > 0))
    throw new Error(`BENCH_API_SECONDS must be a positive number, got "${env.BENCH_API_SECONDS}"`);
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new Error(`BENCH_API_ROUNDS must be a whole number from 1, got "${env.BENCH_API_ROUNDS}"`);
  }
  return { seconds, rounds };
};

/** One server's figures, as results.json keeps them. */
export interface ServerFigures {
  requestsPerSecond: number;
  completed: number;
  seconds: number;
  p50Ms: number | null;
  p99Ms: number | null;
  /** CPU time of the server's own process per answer (null where /proc cannot tell). */
  cpuMsPerAnswer: number | null;
  /** CPU time of DynamoDB Local per answer, while this server was under load. */
  databaseCpuMsPerAnswer: number | null;
  errors: Record<string, number>;
}

/** CPU time spent during a server's slices: its own process's, and the database's. */
export interface SliceCpu {
  serverMs: number | null;
  databaseMs: number | null;
}

export interface LocalApiResult {
  connections: number;
  settings: LocalApiSettings;
  runtime: ServerFigures;
  raw: ServerFigures;
  rows: BenchRow[];
}

const round2 = (value: number) => Math.round(value * 100) / 100;

const perAnswer = (ms: number | null, load: LoadResult) =>
  ms === null || load.completed === 0 ? null : Math.round((ms / load.completed) * 1000) / 1000;

export const serverFigures = (load: LoadResult, cpu: SliceCpu): ServerFigures => ({
  requestsPerSecond: Math.round(throughput(load)),
  completed: load.completed,
  seconds: round2(load.elapsedMs / 1000),
  p50Ms: load.latenciesMs.length > 0 ? round2(percentile(load.latenciesMs, 50)) : null,
  p99Ms: load.latenciesMs.length > 0 ? round2(percentile(load.latenciesMs, 99)) : null,
  cpuMsPerAnswer: perAnswer(cpu.serverMs, load),
  databaseCpuMsPerAnswer: perAnswer(cpu.databaseMs, load),
  errors: load.errors,
});

const errorCount = (figures: ServerFigures) => Object.values(figures.errors).reduce((sum, n) => sum + n, 0);

/** The rows of the one bench table: throughput (the goal), the latencies, and the errors. */
export const localApiRows = (runtime: ServerFigures, raw: ServerFigures): BenchRow[] => {
  const subject = `GET /projects/{id}, ${LOCAL_API_CONNECTIONS} connections`;
  const row = (
    measure: string,
    unit: string,
    value: number,
    baseline: number,
    goal: BenchGoal | null = null,
  ): BenchRow => ({
    case: 'local-api',
    subject,
    measure,
    unit,
    value,
    baseline,
    ratio: baseline > 0 ? ratio(value, baseline) : null,
    goal,
  });
  const rows = [
    row('throughput', 'req/s', runtime.requestsPerSecond, raw.requestsPerSecond, {
      kind: 'ratioAtLeast',
      limit: LOCAL_API_GOAL,
    }),
  ];
  if (runtime.p50Ms !== null && raw.p50Ms !== null)
    rows.push(row('p50 latency', 'ms', runtime.p50Ms, raw.p50Ms));
  if (runtime.p99Ms !== null && raw.p99Ms !== null)
    rows.push(row('p99 latency', 'ms', runtime.p99Ms, raw.p99Ms));
  // What the throughput hides on a busy machine: our process's CPU per answer, and the database's.
  if (runtime.cpuMsPerAnswer !== null && raw.cpuMsPerAnswer !== null) {
    rows.push(row('server CPU per answer', 'ms', runtime.cpuMsPerAnswer, raw.cpuMsPerAnswer));
  }
  if (runtime.databaseCpuMsPerAnswer !== null && raw.databaseCpuMsPerAnswer !== null) {
    rows.push(
      row('database CPU per answer', 'ms', runtime.databaseCpuMsPerAnswer, raw.databaseCpuMsPerAnswer),
    );
  }
  // Not a 200 with its whole body: none is expected of either server.
  rows.push({
    ...row('errors', 'answers', errorCount(runtime), errorCount(raw), { kind: 'valueAtMost', limit: 0 }),
    ratio: null,
  });
  return rows;
};

type Server = 'raw' | 'runtime';

const noCpuYet = (): SliceCpu => ({ serverMs: 0, databaseMs: 0 });

/** A running total of CPU ms, null for good once one reading is missing. */
export const addCpu = (total: number | null, before: number | null, after: number | null): number | null =>
  total === null || before === null || after === null ? null : total + (after - before);

export const measureLocalApi = async (
  settings: LocalApiSettings = localApiSettings(),
): Promise<LocalApiResult> => {
  const paths = CATALOGUE_2024.map((entry) => `/projects/${encodeURIComponent(entry.id)}`);
  const servers = await startLocalApiServers();
  try {
    const urls: Record<Server, string> = { raw: servers.rawUrl, runtime: servers.runtimeUrl };
    const load = (url: string, durationMs: number) =>
      runLoad({ url, paths, connections: LOCAL_API_CONNECTIONS, durationMs });
    // Warm-up, not counted: modules loaded, sockets open, JIT warm. It must already be clean.
    for (const [name, url] of Object.entries(urls)) {
      const warm = await load(url, WARM_UP_MS);
      if (warm.completed === 0 || Object.keys(warm.errors).length > 0) {
        throw new Error(`${name} server failed its warm-up: ${JSON.stringify(warm.errors)}`);
      }
    }
    const sliceMs = (settings.seconds * 1000) / settings.rounds;
    const slices: Record<Server, LoadResult[]> = { raw: [], runtime: [] };
    const cpu: Record<Server, SliceCpu> = { raw: noCpuYet(), runtime: noCpuYet() };
    for (const name of interleaved<Server>('raw', ['runtime'], settings.rounds)) {
      const before = {
        server: processCpuMs(servers.pids[name]),
        database: processCpuMs(servers.pids.database),
      };
      slices[name].push(await load(urls[name], sliceMs));
      cpu[name].serverMs = addCpu(cpu[name].serverMs, before.server, processCpuMs(servers.pids[name]));
      cpu[name].databaseMs = addCpu(
        cpu[name].databaseMs,
        before.database,
        processCpuMs(servers.pids.database),
      );
    }
    const runtime = serverFigures(mergeLoads(slices.runtime), cpu.runtime);
    const raw = serverFigures(mergeLoads(slices.raw), cpu.raw);
    return {
      connections: LOCAL_API_CONNECTIONS,
      settings,
      runtime,
      raw,
      rows: localApiRows(runtime, raw),
    };
  } finally {
    await servers.stop();
  }
};
