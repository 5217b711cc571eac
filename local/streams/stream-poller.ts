/**
 * The local stand-in for a Lambda DynamoDB stream event source mapping: reads the table's stream
 * on DynamoDB Local and invokes a handler with Lambda-shaped `DynamoDBStreamEvent` batches, with
 * the mapping's settings (STREAM_SOURCE): filter patterns, batch size, partial batch responses,
 * bisect on error, retry attempts, maximum record age and an on-failure destination.
 *
 * Per shard, records are handled in order and a shard's children only after it is exhausted.
 * Checkpoints are written after every handled batch (see checkpoints.ts), so delivery is at least
 * once, and nothing is skipped. Records that exhaust their retries go to the on-failure
 * destination (see failure-destination.ts) and are skipped.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { STREAM_SOURCE } from '../../functions/events/plumbing.js';
import { matchesPattern } from '../eventbridge/event-pattern.js';
import { errorName, errorText } from '../shared/error-text.js';
import { Sleepers } from '../shared/sleepers.js';
import { LOCAL_REGION } from '../table.js';
import { BatchRunner, Stopped } from './batch-runner.js';
import { CheckpointStore } from './checkpoints.js';
import { FailureDestination } from './failure-destination.js';
import { type Shard, StreamShards } from './shards.js';
import { streamsClientFor } from './streams-client.js';
import type { StreamPoller, StreamPollerOptions, StreamSourceSettings } from './types.js';

/** Polls of an idle stream begin this often: a record waits up to this long to be read. */
export const STREAM_POLL_INTERVAL_MS = 250;
export const DEFAULT_RETRY_BACKOFF_MS = 500;
export const DEFAULT_MAX_RETRY_BACKOFF_MS = 30_000;
const ERROR_BACKOFF_MS = 1_000;
const SHARD_REFRESH_MS = 5_000;

/**
 * The sleep after an idle pass: what is left of the interval since the pass began, so that polls
 * begin every interval, as Lambda polls a shard four times a second, however long GetRecords
 * took. A fixed sleep after the pass would add GetRecords' own time to every record's wait.
 */
const idleWaitMs = (intervalMs: number, passStartedAt: number, now: number): number =>
  Math.max(0, intervalMs - (now - passStartedAt));

/** Drain waiters: resolved by the first idle pass that began after they asked. */
interface DrainWaiter {
  after: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Lambda filter criteria: a record is handled when it matches any pattern (none: every record). */
const filterOf = (settings: StreamSourceSettings) => {
  const patterns = settings.filterPatterns ?? [];
  return (record: DynamoDBRecord) =>
    patterns.length === 0 || patterns.some((pattern) => matchesPattern(pattern, record));
};

const latestStreamArn = async (client: DynamoDBClient, tableName: string): Promise<string> => {
  const table = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const arn = table.Table?.LatestStreamArn;
  if (!arn || table.Table?.StreamSpecification?.StreamEnabled === false) {
    throw new Error(`Table ${tableName} has no stream enabled`);
  }
  return arn;
};

/** One GetRecords on a shard, and the handling of what it returned. Returns whether anything happened. */
const pollShard = async (shards: StreamShards, runner: BatchRunner, shard: Shard): Promise<boolean> => {
  try {
    shard.iterator ??= await shards.iteratorFor(shard);
    if (shard.iterator === undefined) {
      await shards.finish(shard);
      return true;
    }
    const { records, closed } = await shards.getRecords(shard, shard.iterator);
    if (records.length > 0) await runner.handlePage(shard, records);
    if (closed) {
      // Closed and read to its end: its children may start.
      await shards.finish(shard);
      return true;
    }
    return records.length > 0;
  } catch (error) {
    // Whatever went wrong, carry on from the checkpoint, not from where the iterator got to.
    shard.iterator = undefined;
    throw error;
  }
};

/** Starts polling `tableName`'s stream; resolves once the stream is found. */
export const startStreamPoller = async (options: StreamPollerOptions): Promise<StreamPoller> => {
  const settings = options.settings ?? STREAM_SOURCE;
  const log = options.log ?? ((line: string) => console.error(line));
  const pollIntervalMs = options.pollIntervalMs ?? STREAM_POLL_INTERVAL_MS;

  const dir = options.dataDir === null ? null : join(resolve(options.dataDir), 'streams');
  if (dir !== null) mkdirSync(dir, { recursive: true });

  const ownsStreamsClient = options.streamsClient === undefined;
  const streams = options.streamsClient ?? (await streamsClientFor(options.client));

  const resolveStreamArn = () => latestStreamArn(options.client, options.tableName);

  let streamArn: string;
  try {
    streamArn = await resolveStreamArn();
  } catch (error) {
    if (ownsStreamsClient) streams.destroy();
    throw error;
  }

  const shards = new StreamShards({
    streams,
    streamArn,
    checkpoints: new CheckpointStore(dir === null ? null : join(dir, 'checkpoints.json')),
    startingPosition: settings.startingPosition,
    region: options.region ?? LOCAL_REGION,
    tableName: options.tableName,
    log,
  });

  let stopping = false;
  /** Sleeps of the loop (ended by a stop or a drain) and of retry backoffs (ended by a stop only). */
  const idleSleepers = new Sleepers();
  const retrySleepers = new Sleepers();
  const runner = new BatchRunner({
    handler: options.handler,
    settings,
    filter: options.filter ?? filterOf(settings),
    retryBackoffMs: options.retryBackoffMs ?? DEFAULT_RETRY_BACKOFF_MS,
    maxRetryBackoffMs: options.maxRetryBackoffMs ?? DEFAULT_MAX_RETRY_BACKOFF_MS,
    tableName: options.tableName,
    log,
    shards,
    failures: new FailureDestination(
      dir === null ? null : join(dir, 'on-failure.jsonl'),
      options.tableName,
      log,
      options.onFailure,
    ),
    retrySleepers,
    isStopping: () => stopping,
  });

  const drainWaiters: DrainWaiter[] = [];
  let pass = 0;
  let lastError = '';
  let streamLost = false;
  let lastRefresh = 0;

  /** One pass over the eligible shards. Returns whether any of them had something. */
  const pollOnce = async (): Promise<boolean> => {
    let busy = false;
    if (streamLost) {
      const arn = await resolveStreamArn();
      if (arn !== shards.streamArn) {
        log(`stream ${options.tableName}: the table has a new stream, reading it from the start`);
        shards.restart(arn);
      }
      streamLost = false;
      lastRefresh = 0;
    }
    if (
      drainWaiters.length > 0 ||
      Date.now() - lastRefresh >= SHARD_REFRESH_MS ||
      shards.eligible().length === 0
    ) {
      await shards.refresh();
      lastRefresh = Date.now();
    }
    for (const shard of shards.eligible()) {
      if (stopping) break;
      if (await pollShard(shards, runner, shard)) busy = true;
      // A finished shard may have released children: look again before calling this idle.
      if (shard.finished) lastRefresh = 0;
    }
    return busy;
  };

  const loop = async () => {
    while (!stopping) {
      const thisPass = ++pass;
      const passStarted = Date.now();
      let busy = false;
      let failed = false;
      try {
        busy = await pollOnce();
        lastError = '';
      } catch (error) {
        if (error instanceof Stopped) break;
        failed = true;
        if (errorName(error) === 'ResourceNotFoundException') streamLost = true;
        const text = errorText(error);
        if (text !== lastError) log(`stream ${options.tableName}: polling failed: ${text}`);
        lastError = text;
      }
      if (!busy && !failed && !stopping) {
        for (const waiter of drainWaiters.filter((candidate) => candidate.after <= thisPass)) {
          drainWaiters.splice(drainWaiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
      if (!busy && !stopping) {
        await idleSleepers.sleep(
          failed
            ? Math.max(pollIntervalMs, ERROR_BACKOFF_MS)
            : idleWaitMs(pollIntervalMs, passStarted, Date.now()),
        );
      }
    }
  };

  const running = loop().catch((error: unknown) =>
    log(`stream ${options.tableName}: poller stopped: ${errorText(error)}`),
  );

  let stopped: Promise<void> | null = null;
  return {
    stop: () => {
      stopped ??= (async () => {
        stopping = true;
        idleSleepers.wakeAll();
        retrySleepers.wakeAll();
        await running;
        for (const waiter of drainWaiters.splice(0))
          waiter.reject(new Error('The stream poller was stopped'));
        if (ownsStreamsClient) streams.destroy();
      })();
      return stopped;
    },
    drain: () =>
      new Promise<void>((resolveDrain, reject) => {
        if (stopping) {
          reject(new Error('The stream poller is stopped'));
          return;
        }
        drainWaiters.push({ after: pass + 1, resolve: resolveDrain, reject });
        idleSleepers.wakeAll();
      }),
  };
};
