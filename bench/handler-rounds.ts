/**
 * The write-path and read-path cases' common ground: one in-memory DynamoDB Local with twin
 * tables, and rounds that each time a handler invocation, then the very same DynamoDB commands
 * replayed raw into the twin (see twin-tables.ts), so that the ratio of the two is our own code's.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  invocationMetrics,
  type MetricsOutput,
  writeMetricsTo,
} from '../functions/observability/invocation-metrics.js';
import { LOG_ENV } from '../functions/observability/logger.js';
import type { Dependencies } from '../functions/services/dependencies.js';
import { createDocumentClient } from '../functions/storage/client.js';
import { ProjectRepository } from '../functions/storage/project-repository.js';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { ensureTable, LOCAL_CREDENTIAL, LOCAL_REGION } from '../local/table.js';
import { allCatalogueProjects } from '../tests/support/fixtures.js';
import { type CommandRecorder, recordCommands, replayOf } from './capture.js';
import { median, ratio } from './stats.js';
import type { BenchRow } from './summary.js';
import { replayDifferences, retarget, type TwinTables, twinTables } from './twin-tables.js';

export const HANDLER_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);
export const HANDLER_WARMUP = Math.max(10, Math.floor(HANDLER_ROUNDS / 10));

/** Handlers decide with this clock, so that the reports' dates stay valid whenever the bench runs. */
const NOW = new Date('2024-12-01T02:00:00.000Z');

export interface HandlerBench {
  tables: TwinTables;
  /** What the deployed handlers get (metrics included), on the handler's table. */
  deps: Dependencies;
  /** Runs `work` (untimed) and replays what it sent into the twin, so that both tables stay alike. */
  mirror(work: () => Promise<unknown>): Promise<void>;
  /** Times `rounds` paired rounds after `warmup` untimed ones; `prepare` builds a round's invocation. */
  pairedRounds(prepare: () => () => Promise<void>): Promise<PairedSamples>;
  stop(): Promise<void>;
}

export interface PairedSamples {
  /** Milliseconds of each timed round: the handler's invocation, and the raw replay of its commands. */
  handlerMs: number[];
  replayMs: number[];
  /** Commands a round sent (the same on both sides, or the round would have thrown). */
  commandsPerRound: number;
}

/**
 * The documents `withMetrics` writes, serialised as the deployed output serialises them, and then
 * dropped: the write to stdout is the Lambda runtime's business, and would flood the terminal.
 */
const serialiseAndDrop: MetricsOutput = (documents) => {
  for (const document of documents) JSON.stringify(document);
};

const timed = async <T>(work: () => Promise<T>): Promise<[number, T]> => {
  const started = performance.now();
  const result = await work();
  return [performance.now() - started, result];
};

/** Starts DynamoDB Local, the twin tables seeded with the 2024 catalogue, and quiet handlers. */
export const startHandlerBench = async (): Promise<HandlerBench> => {
  const dynamo = await startDynamoDbLocal({ dataDir: null });
  // The request lines at INFO would be hundreds; warnings and errors still show.
  const logLevel = process.env[LOG_ENV.level];
  process.env[LOG_ENV.level] = 'warn';
  const metricsOutput = writeMetricsTo(serialiseAndDrop);
  // One client for both sides: the same connection pool, and the recorder's cost on both.
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: LOCAL_CREDENTIAL, secretAccessKey: LOCAL_CREDENTIAL },
  });
  const recorder: CommandRecorder = recordCommands(client);
  const tables = twinTables('bench-product', 'bench-raw-sdk');
  const deps: Dependencies = {
    db: createDocumentClient(client),
    tableName: tables.handler,
    now: () => NOW,
    metrics: invocationMetrics,
  };

  /** One round: the handler's work, then its commands into the twin, both checked alike. */
  const round = async (work: () => Promise<unknown>) => {
    const [handlerMs, { sent }] = await timed(() => recorder.record(work));
    const replay = replayOf(
      client,
      sent.map((command) => retarget(command, tables)),
    );
    const [replayMs, { sent: replayed }] = await timed(() => recorder.record(replay));
    const differences = replayDifferences(sent, replayed, tables);
    if (differences.length > 0) throw new Error(`the replay differs:\n${differences.join('\n')}`);
    return { handlerMs, replayMs, commands: sent.length };
  };

  const stop = async () => {
    client.destroy();
    writeMetricsTo(metricsOutput);
    if (logLevel === undefined) delete process.env[LOG_ENV.level];
    else process.env[LOG_ENV.level] = logLevel;
    await dynamo.stop();
  };

  try {
    for (const table of [tables.handler, tables.replay]) await ensureTable(client, table);
    await round(() => new ProjectRepository(deps).seed(allCatalogueProjects()));
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    tables,
    deps,
    mirror: async (work) => {
      await round(work);
    },
    pairedRounds: async (prepare) => {
      const samples: PairedSamples = { handlerMs: [], replayMs: [], commandsPerRound: 0 };
      for (let i = -HANDLER_WARMUP; i < HANDLER_ROUNDS; i++) {
        // The event is built before the clock starts: API Gateway's work, not ours.
        const { handlerMs, replayMs, commands } = await round(prepare());
        if (i < 0) continue;
        if (samples.commandsPerRound !== 0 && commands !== samples.commandsPerRound) {
          throw new Error(`a round sent ${commands} commands, the first ${samples.commandsPerRound}`);
        }
        samples.commandsPerRound = commands;
        samples.handlerMs.push(handlerMs);
        samples.replayMs.push(replayMs);
      }
      return samples;
    },
    stop,
  };
};

const mean = (samples: readonly number[]): number =>
  samples.reduce((sum, sample) => sum + sample, 0) / samples.length;

const toMicrosecond = (ms: number): number => Math.round(ms * 1000) / 1000;

/** The per-request figures of a path: mean and median of each side. */
export const pathFigures = (samples: PairedSamples) => ({
  rounds: samples.handlerMs.length,
  warmup: HANDLER_WARMUP,
  commandsPerRound: samples.commandsPerRound,
  handler: {
    meanMs: toMicrosecond(mean(samples.handlerMs)),
    medianMs: toMicrosecond(median(samples.handlerMs)),
  },
  replay: {
    meanMs: toMicrosecond(mean(samples.replayMs)),
    medianMs: toMicrosecond(median(samples.replayMs)),
  },
});

/** A path's row of the bench table: the handler's mean per request against its replay's. */
export const pathRow = (
  benchCase: 'write-path' | 'read-path',
  subject: string,
  samples: PairedSamples,
  goal: number,
): BenchRow => {
  const value = mean(samples.handlerMs);
  const baseline = mean(samples.replayMs);
  return {
    case: benchCase,
    subject,
    measure: `per request (${samples.commandsPerRound} DynamoDB call${samples.commandsPerRound === 1 ? '' : 's'})`,
    unit: 'ms',
    value: toMicrosecond(value),
    baseline: toMicrosecond(baseline),
    ratio: ratio(value, baseline),
    goal: { kind: 'ratioAtMost', limit: goal },
  };
};
