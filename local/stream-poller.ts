/**
 * The local stand-in for a Lambda DynamoDB stream event source mapping: reads the table's stream
 * on DynamoDB Local and invokes a handler with Lambda-shaped `DynamoDBStreamEvent` batches, with
 * the mapping's settings (STREAM_SOURCE): filter patterns, batch size, partial batch responses,
 * bisect on error, retry attempts, maximum record age and an on-failure destination.
 *
 * Per shard, records are handled in order and a shard's children only after it is exhausted.
 * Checkpoints (the last handled sequence number per shard) are written after every handled batch
 * to `<dataDir>/streams/checkpoints.json` (temporary file, fsync, rename), so a restart resumes
 * after the last handled record: delivery is at least once, and nothing is skipped. Records that
 * exhaust their retries are appended to `<dataDir>/streams/on-failure.jsonl` (the local SQS
 * on-failure destination) and skipped.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamsRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { STREAM_SOURCE } from '../functions/events/plumbing.js';
import { type EventPattern, matchesPattern } from './eventbridge/event-pattern.js';
import { writeFileDurably } from './shared/durable-file.js';
import { LOCAL_REGION } from './table.js';

/** The event source mapping settings the poller applies (STREAM_SOURCE satisfies this). */
export interface StreamSourceSettings {
  batchSize: number;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  bisectBatchOnError: boolean;
  /** Retries of a failing batch before it goes to the on-failure destination; -1: until it is too old. */
  retryAttempts: number;
  /** A failing record older than this is not retried but sent on; -1 or omitted: no limit. */
  maxRecordAgeSeconds?: number;
  /** Whether `batchItemFailures` in the handler's answer count (otherwise any answer is success). */
  reportBatchItemFailures: boolean;
  /** Lambda filter criteria: a record is handled when it matches any (none: every record). */
  filterPatterns?: readonly EventPattern[];
}

export type StreamHandler = (
  event: DynamoDBStreamEvent,
) => Promise<DynamoDBBatchResponse | undefined> | Promise<void>;

/** What Lambda sends to an on-failure destination for a stream batch, plus the records themselves. */
export interface StreamFailureEntry {
  requestContext: {
    requestId: string;
    condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
    approximateInvokeCount: number;
  };
  responseContext: { functionError: 'Unhandled' | 'PartialBatchFailure'; errorMessage?: string };
  version: '1.0';
  timestamp: string;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
  /** Not in Lambda's message (it sends only the batch info): the skipped records, for inspection. */
  records: DynamoDBRecord[];
}

export interface StreamPollerOptions {
  /** For DescribeTable; also the source of region, credentials and endpoint of the streams client. */
  client: DynamoDBClient;
  /** Defaults to a client built from `client`'s configuration (stopped with the poller). */
  streamsClient?: DynamoDBStreamsClient;
  tableName: string;
  /** Checkpoints and the on-failure file go to `<dataDir>/streams/`; null keeps them in memory. */
  dataDir: string | null;
  handler: StreamHandler;
  settings?: StreamSourceSettings;
  /** Replaces `settings.filterPatterns`; records it rejects are skipped (and checkpointed). */
  filter?: (record: DynamoDBRecord) => boolean;
  /** Sleep between polls of an idle stream. */
  pollIntervalMs?: number;
  /** First delay before retrying a failed batch; doubles per retry, at most 30 s. */
  retryBackoffMs?: number;
  /** `awsRegion` of the records. */
  region?: string;
  log?: (line: string) => void;
  /** Called for every batch sent to the on-failure destination (also without a data dir). */
  onFailure?: (entry: StreamFailureEntry) => void;
}

export interface StreamPoller {
  /** Stops polling after the running invocation (whose result is checkpointed); safe to call twice. */
  stop(): Promise<void>;
  /** Resolves once every record in the stream when called has been handled (or sent on as failed). */
  drain(): Promise<void>;
}

const DEFAULT_POLL_INTERVAL_MS = 250;
const DEFAULT_RETRY_BACKOFF_MS = 500;
const MAX_RETRY_BACKOFF_MS = 30_000;
const ERROR_BACKOFF_MS = 1_000;
const SHARD_REFRESH_MS = 5_000;
const GET_RECORDS_LIMIT = 1_000;

class Stopped extends Error {}

// ---------------------------------------------------------------------------------------------
// Record conversion: the streams API's records → Lambda's event records

type LambdaAttributeValue = NonNullable<NonNullable<DynamoDBRecord['dynamodb']>['Keys']>[string];

const toBase64 = (bytes: unknown) =>
  bytes instanceof Uint8Array ? Buffer.from(bytes).toString('base64') : String(bytes);

/** The SDK's attribute values carry binaries as bytes; Lambda's event carries base64 strings. */
const toLambdaValue = (value: unknown): LambdaAttributeValue => {
  const source = value as Record<string, unknown>;
  if ('B' in source) return { B: toBase64(source.B) };
  if ('BS' in source) return { BS: (source.BS as unknown[]).map(toBase64) };
  if ('L' in source) return { L: (source.L as unknown[]).map(toLambdaValue) };
  if ('M' in source) return { M: toLambdaImage(source.M as Record<string, unknown>) };
  const { $unknown: _ignored, ...rest } = source;
  return rest as LambdaAttributeValue;
};

const toLambdaImage = (image: Record<string, unknown>): Record<string, LambdaAttributeValue> =>
  Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toLambdaValue(value)]));

export const toLambdaRecord = (record: StreamsRecord, streamArn: string, region: string): DynamoDBRecord => {
  const stream = record.dynamodb ?? {};
  const created = stream.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(created !== undefined
        ? { ApproximateCreationDateTime: Math.floor(new Date(created).getTime() / 1000) }
        : {}),
      ...(stream.Keys ? { Keys: toLambdaImage(stream.Keys) } : {}),
      ...(stream.NewImage ? { NewImage: toLambdaImage(stream.NewImage) } : {}),
      ...(stream.OldImage ? { OldImage: toLambdaImage(stream.OldImage) } : {}),
      SequenceNumber: stream.SequenceNumber,
      SizeBytes: stream.SizeBytes,
      StreamViewType: stream.StreamViewType,
    },
    ...(record.userIdentity
      ? { userIdentity: { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId } }
      : {}),
  };
};

const sequenceOf = (record: DynamoDBRecord) => record.dynamodb?.SequenceNumber ?? '';

// ---------------------------------------------------------------------------------------------
// Checkpoints

interface ShardCheckpoint {
  /** The last handled (or skipped) record; null: none yet. */
  sequenceNumber: string | null;
  /** The shard is closed and every record of it handled. */
  finished?: boolean;
}

interface CheckpointFile {
  version: 1;
  /** Per stream ARN, per shard id. */
  streams: Record<string, Record<string, ShardCheckpoint>>;
}

const readCheckpointFile = (file: string | null): CheckpointFile => {
  if (file === null || !existsSync(file)) return { version: 1, streams: {} };
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as CheckpointFile;
  if (parsed.version !== 1) throw new Error(`${file}: unknown version ${String(parsed.version)}`);
  return parsed;
};

const tableOfStream = (streamArn: string) => streamArn.replace(/\/stream\/[^/]*$/, '');

// ---------------------------------------------------------------------------------------------

const errorName = (error: unknown) => (error instanceof Error ? error.name : '');
const errorText = (error: unknown) =>
  error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);

/** A streams client talking to wherever `client` talks, with its region and credentials. */
const streamsClientFor = async (client: DynamoDBClient): Promise<DynamoDBStreamsClient> => {
  let endpoint: string | undefined;
  if (client.config.endpoint) {
    const resolved = await client.config.endpoint();
    const port = resolved.port ? `:${resolved.port}` : '';
    endpoint = `${resolved.protocol}//${resolved.hostname}${port}${resolved.path ?? ''}`;
  } else {
    endpoint =
      process.env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS || process.env.AWS_ENDPOINT_URL_DYNAMODB || undefined;
  }
  return new DynamoDBStreamsClient({
    region: client.config.region,
    credentials: client.config.credentials,
    ...(endpoint ? { endpoint } : {}),
  });
};

interface Shard {
  id: string;
  parentId: string | undefined;
  startingSequence: bigint;
  iterator: string | undefined;
  checkpoint: string | null;
  finished: boolean;
}

/** Starts polling `tableName`'s stream; resolves once the stream is found. */
export const startStreamPoller = async (options: StreamPollerOptions): Promise<StreamPoller> => {
  const settings = options.settings ?? STREAM_SOURCE;
  const log = options.log ?? ((line: string) => console.error(line));
  const region = options.region ?? LOCAL_REGION;
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const retryBackoffMs = options.retryBackoffMs ?? DEFAULT_RETRY_BACKOFF_MS;
  const patterns = settings.filterPatterns ?? [];
  const filter =
    options.filter ??
    ((record: DynamoDBRecord) =>
      patterns.length === 0 || patterns.some((pattern) => matchesPattern(pattern, record)));

  const dir = options.dataDir === null ? null : join(resolve(options.dataDir), 'streams');
  if (dir !== null) mkdirSync(dir, { recursive: true });
  const checkpointPath = dir === null ? null : join(dir, 'checkpoints.json');
  const failurePath = dir === null ? null : join(dir, 'on-failure.jsonl');

  const ownsStreamsClient = options.streamsClient === undefined;
  const streams = options.streamsClient ?? (await streamsClientFor(options.client));

  const resolveStreamArn = async (): Promise<string> => {
    const table = await options.client.send(new DescribeTableCommand({ TableName: options.tableName }));
    const arn = table.Table?.LatestStreamArn;
    if (!arn || table.Table?.StreamSpecification?.StreamEnabled === false) {
      throw new Error(`Table ${options.tableName} has no stream enabled`);
    }
    return arn;
  };

  let streamArn: string;
  try {
    streamArn = await resolveStreamArn();
  } catch (error) {
    if (ownsStreamsClient) streams.destroy();
    throw error;
  }

  let saved = readCheckpointFile(checkpointPath).streams[streamArn] ?? {};
  let shards = new Map<string, Shard>();

  const persist = () => {
    const entry: Record<string, ShardCheckpoint> = {};
    for (const shard of shards.values()) {
      if (shard.checkpoint === null && !shard.finished) continue;
      entry[shard.id] = { sequenceNumber: shard.checkpoint, ...(shard.finished ? { finished: true } : {}) };
    }
    saved = entry;
    if (checkpointPath === null) return;
    // Re-read, so pollers of other tables sharing the data dir keep their entries; earlier streams
    // of this table (before it was recreated) are dropped.
    const file = readCheckpointFile(checkpointPath);
    for (const arn of Object.keys(file.streams)) {
      if (tableOfStream(arn) === tableOfStream(streamArn)) delete file.streams[arn];
    }
    file.streams[streamArn] = entry;
    writeFileDurably(checkpointPath, `${JSON.stringify(file, null, 2)}\n`);
  };

  const advance = (shard: Shard, record: DynamoDBRecord | undefined) => {
    if (!record) return;
    const sequence = sequenceOf(record);
    if (shard.checkpoint !== null && BigInt(sequence) <= BigInt(shard.checkpoint)) return;
    shard.checkpoint = sequence;
    persist();
  };

  const refreshShards = async () => {
    const listed: Shard[] = [];
    let exclusiveStart: string | undefined;
    do {
      const page = await streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStart }),
      );
      for (const shard of page.StreamDescription?.Shards ?? []) {
        if (!shard.ShardId) continue;
        const known = shards.get(shard.ShardId);
        const checkpoint = saved[shard.ShardId];
        listed.push(
          known ?? {
            id: shard.ShardId,
            parentId: shard.ParentShardId,
            startingSequence: BigInt(shard.SequenceNumberRange?.StartingSequenceNumber ?? '0'),
            iterator: undefined,
            checkpoint: checkpoint?.sequenceNumber ?? null,
            finished: checkpoint?.finished ?? false,
          },
        );
      }
      exclusiveStart = page.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStart);
    listed.sort((a, b) =>
      a.startingSequence < b.startingSequence ? -1 : a.startingSequence > b.startingSequence ? 1 : 0,
    );
    shards = new Map(listed.map((shard) => [shard.id, shard]));
  };

  /** Unfinished shards whose parent is done (or gone from the stream). */
  const eligibleShards = () =>
    [...shards.values()].filter((shard) => {
      if (shard.finished) return false;
      const parent = shard.parentId === undefined ? undefined : shards.get(shard.parentId);
      return parent === undefined || parent.finished;
    });

  // ---- stopping and waiting -------------------------------------------------------------------

  let stopping = false;
  /** Sleeps of the loop (ended by a stop or a drain) and of retry backoffs (ended by a stop only). */
  const idleSleepers = new Set<() => void>();
  const retrySleepers = new Set<() => void>();
  const pause = (ms: number, sleepers: Set<() => void>) =>
    new Promise<void>((done) => {
      const finish = () => {
        clearTimeout(timer);
        sleepers.delete(finish);
        done();
      };
      const timer = setTimeout(finish, ms);
      sleepers.add(finish);
    });
  const wake = (sleepers: Set<() => void>) => {
    for (const finish of [...sleepers]) finish();
  };

  // ---- invoking the handler -------------------------------------------------------------------

  type Outcome = { kind: 'ok' } | { kind: 'partial'; index: number } | { kind: 'error'; message: string };

  const invoke = async (batch: DynamoDBRecord[]): Promise<Outcome> => {
    let result: unknown;
    try {
      result = await options.handler({ Records: batch });
    } catch (error) {
      return { kind: 'error', message: errorText(error) };
    }
    if (!settings.reportBatchItemFailures || result === undefined || result === null) return { kind: 'ok' };
    const failures = (result as { batchItemFailures?: unknown }).batchItemFailures;
    if (failures === undefined || failures === null) return { kind: 'ok' };
    if (!Array.isArray(failures)) return { kind: 'error', message: 'batchItemFailures is not a list' };
    if (failures.length === 0) return { kind: 'ok' };
    let first = batch.length;
    for (const failure of failures) {
      // Lambda: an empty, missing or unknown itemIdentifier fails the whole batch.
      const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
      const index =
        typeof id === 'string' && id !== '' ? batch.findIndex((record) => sequenceOf(record) === id) : -1;
      if (index < 0) return { kind: 'error', message: `batchItemFailures names ${JSON.stringify(id)}` };
      first = Math.min(first, index);
    }
    return { kind: 'partial', index: first };
  };

  const tooOld = (batch: DynamoDBRecord[]) => {
    const maxAge = settings.maxRecordAgeSeconds ?? -1;
    if (maxAge < 0) return false;
    const oldest = Math.min(
      ...batch.map((record) => record.dynamodb?.ApproximateCreationDateTime ?? Infinity),
    );
    return Number.isFinite(oldest) && Date.now() / 1000 - oldest > maxAge;
  };

  const sendToFailure = (
    shard: Shard,
    batch: DynamoDBRecord[],
    condition: StreamFailureEntry['requestContext']['condition'],
    invokeCount: number,
    outcome: Outcome,
  ) => {
    const first = batch[0];
    const last = batch[batch.length - 1];
    const arrival = (record: DynamoDBRecord | undefined) =>
      new Date((record?.dynamodb?.ApproximateCreationDateTime ?? 0) * 1000)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z');
    const entry: StreamFailureEntry = {
      requestContext: { requestId: randomUUID(), condition, approximateInvokeCount: invokeCount },
      responseContext: {
        functionError: outcome.kind === 'partial' ? 'PartialBatchFailure' : 'Unhandled',
        ...(outcome.kind === 'error' ? { errorMessage: outcome.message.split('\n')[0] ?? '' } : {}),
      },
      version: '1.0',
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId: shard.id,
        startSequenceNumber: first ? sequenceOf(first) : '',
        endSequenceNumber: last ? sequenceOf(last) : '',
        approximateArrivalOfFirstRecord: arrival(first),
        approximateArrivalOfLastRecord: arrival(last),
        batchSize: batch.length,
        streamArn,
      },
      records: batch,
    };
    log(
      `stream ${options.tableName}: ${batch.length} record(s) ${entry.DDBStreamBatchInfo.startSequenceNumber}…` +
        `${entry.DDBStreamBatchInfo.endSequenceNumber} sent to the on-failure destination (${condition})`,
    );
    if (failurePath !== null) {
      const fd = openSync(failurePath, 'a');
      try {
        writeSync(fd, `${JSON.stringify(entry)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    options.onFailure?.(entry);
  };

  /**
   * Lambda's handling of one batch: success checkpoints it; a partial failure checkpoints the
   * records before the first failed one and retries from it; an error retries the batch, split in
   * two when bisectBatchOnError (the split itself is not counted as a retry). After retryAttempts
   * retries, or once the records are older than maxRecordAgeSeconds, the batch goes to the
   * on-failure destination and is skipped.
   */
  const runBatch = async (shard: Shard, batch: DynamoDBRecord[], retriesBefore: number): Promise<void> => {
    let current = batch;
    let retries = retriesBefore;
    let invocations = 0;
    for (;;) {
      if (stopping) throw new Stopped();
      invocations++;
      const outcome = await invoke(current);
      if (outcome.kind === 'ok') {
        advance(shard, current[current.length - 1]);
        return;
      }
      if (outcome.kind === 'partial' && outcome.index > 0) {
        advance(shard, current[outcome.index - 1]);
        current = current.slice(outcome.index);
      }
      if (outcome.kind === 'error') {
        log(`stream ${options.tableName}: handler failed on ${current.length} record(s): ${outcome.message}`);
      }
      const exhausted = settings.retryAttempts >= 0 && retries >= settings.retryAttempts;
      if (exhausted || tooOld(current)) {
        sendToFailure(
          shard,
          current,
          exhausted ? 'RetryAttemptsExhausted' : 'RecordAgeExceeded',
          invocations,
          outcome,
        );
        advance(shard, current[current.length - 1]);
        return;
      }
      const bisect = outcome.kind === 'error' && settings.bisectBatchOnError && current.length > 1;
      if (!bisect) retries++;
      await pause(
        Math.min(retryBackoffMs * 2 ** Math.max(0, retries - 1), MAX_RETRY_BACKOFF_MS),
        retrySleepers,
      );
      if (stopping) throw new Stopped();
      if (bisect) {
        const middle = Math.ceil(current.length / 2);
        await runBatch(shard, current.slice(0, middle), retries);
        await runBatch(shard, current.slice(middle), retries);
        return;
      }
    }
  };

  /** Filters a page of records and hands the matching ones over in batches. */
  const handlePage = async (shard: Shard, page: DynamoDBRecord[]) => {
    let batch: DynamoDBRecord[] = [];
    for (const record of page) {
      if (!filter(record)) continue;
      batch.push(record);
      if (batch.length >= settings.batchSize) {
        await runBatch(shard, batch, 0);
        batch = [];
      }
    }
    if (batch.length > 0) await runBatch(shard, batch, 0);
    // Records filtered out after the last batch still move the checkpoint.
    advance(shard, page[page.length - 1]);
  };

  const iteratorFor = async (shard: Shard): Promise<string | undefined> => {
    const base = { StreamArn: streamArn, ShardId: shard.id };
    if (shard.checkpoint !== null) {
      try {
        const response = await streams.send(
          new GetShardIteratorCommand({
            ...base,
            ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
            SequenceNumber: shard.checkpoint,
          }),
        );
        return response.ShardIterator;
      } catch (error) {
        if (errorName(error) !== 'TrimmedDataAccessException') throw error;
        log(
          `stream ${options.tableName}: records after ${shard.checkpoint} were trimmed; reading ${shard.id} from the start`,
        );
      }
    }
    const response = await streams.send(
      new GetShardIteratorCommand({ ...base, ShardIteratorType: settings.startingPosition }),
    );
    return response.ShardIterator;
  };

  /** One GetRecords on a shard, and the handling of what it returned. Returns whether anything happened. */
  const pollShard = async (shard: Shard): Promise<boolean> => {
    try {
      shard.iterator ??= await iteratorFor(shard);
      if (shard.iterator === undefined) {
        shard.finished = true;
        persist();
        return true;
      }
      const response = await streams.send(
        new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: GET_RECORDS_LIMIT }),
      );
      const records = (response.Records ?? []).map((record) => toLambdaRecord(record, streamArn, region));
      shard.iterator = response.NextShardIterator;
      if (records.length > 0) await handlePage(shard, records);
      if (response.NextShardIterator === undefined) {
        // Closed and read to its end: its children may start.
        shard.finished = true;
        persist();
        return true;
      }
      return records.length > 0;
    } catch (error) {
      // Whatever went wrong, carry on from the checkpoint, not from where the iterator got to.
      shard.iterator = undefined;
      throw error;
    }
  };

  // ---- the loop -------------------------------------------------------------------------------

  /** Drain waiters: resolved by the first idle pass that began after they asked. */
  const drainWaiters: { after: number; resolve: () => void; reject: (error: Error) => void }[] = [];
  let pass = 0;
  let lastError = '';
  let streamLost = false;

  const loop = async () => {
    let lastRefresh = 0;
    while (!stopping) {
      const thisPass = ++pass;
      let busy = false;
      let failed = false;
      try {
        if (streamLost) {
          const arn = await resolveStreamArn();
          if (arn !== streamArn) {
            log(`stream ${options.tableName}: the table has a new stream, reading it from the start`);
            streamArn = arn;
            shards = new Map();
            saved = {};
          }
          streamLost = false;
          lastRefresh = 0;
        }
        if (
          drainWaiters.length > 0 ||
          Date.now() - lastRefresh >= SHARD_REFRESH_MS ||
          eligibleShards().length === 0
        ) {
          await refreshShards();
          lastRefresh = Date.now();
        }
        for (const shard of eligibleShards()) {
          if (stopping) break;
          if (await pollShard(shard)) busy = true;
          // A finished shard may have released children: look again before calling this idle.
          if (shard.finished) lastRefresh = 0;
        }
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
      if (!busy && !stopping)
        await pause(failed ? Math.max(pollIntervalMs, ERROR_BACKOFF_MS) : pollIntervalMs, idleSleepers);
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
        wake(idleSleepers);
        wake(retrySleepers);
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
        wake(idleSleepers);
      }),
  };
};
