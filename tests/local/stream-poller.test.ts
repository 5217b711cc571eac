import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetRecordsCommand } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { STREAM_SOURCE } from '../../functions/events/plumbing.js';
import { ENTITY } from '../../functions/storage/keys.js';
import {
  type StreamFailureEntry,
  type StreamPoller,
  type StreamPollerOptions,
  startStreamPoller,
} from '../../local/streams/index.js';
import { streamsClientFor } from '../../local/streams/streams-client.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';

let table: TestTable;
const pollers: StreamPoller[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  table = await createTestTable('stream-poller');
});
afterAll(async () => {
  await table.drop();
});
afterEach(async () => {
  await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'stream-poller-'));
  dirs.push(dir);
  return dir;
};

/** Each test writes under its own partition, and its handler only sees that partition. */
let partitionCounter = 0;
const newPartition = () => `TEST#${Date.now().toString(36)}-${++partitionCounter}`;

const put = (pk: string, sk: string, attributes: Record<string, string> = {}) =>
  table.client.send(
    new PutItemCommand({
      TableName: table.tableName,
      Item: {
        PK: { S: pk },
        SK: { S: sk },
        ...Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, { S: value }])),
      },
    }),
  );

const update = (pk: string, sk: string, name: string, value: string) =>
  table.client.send(
    new UpdateItemCommand({
      TableName: table.tableName,
      Key: { PK: { S: pk }, SK: { S: sk } },
      UpdateExpression: 'SET #name = :value',
      ExpressionAttributeNames: { '#name': name },
      ExpressionAttributeValues: { ':value': { S: value } },
    }),
  );

const start = async (
  partition: string,
  handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined> | Promise<void>,
  overrides: Partial<StreamPollerOptions> = {},
) => {
  const poller = await startStreamPoller({
    client: table.client,
    tableName: table.tableName,
    dataDir: null,
    pollIntervalMs: 20,
    retryBackoffMs: 5,
    log: () => {},
    handler,
    ...overrides,
    // Other tests share the table's stream: keep to this test's partition (and the filter under test).
    filter: (record) =>
      record.dynamodb?.Keys?.PK?.S === partition &&
      (overrides.filter === undefined || overrides.filter(record)),
  });
  pollers.push(poller);
  return poller;
};

const skOf = (record: DynamoDBRecord) => record.dynamodb?.Keys?.SK?.S;

describe('local DynamoDB stream poller', () => {
  it('hands the handler an INSERT with NewImage and a MODIFY with OldImage and NewImage, shaped like Lambda', async () => {
    const partition = newPartition();
    const records: DynamoDBRecord[] = [];
    const poller = await start(partition, async (event) => {
      records.push(...event.Records);
    });
    await table.client.send(
      new PutItemCommand({
        TableName: table.tableName,
        Item: {
          PK: { S: partition },
          SK: { S: 'item' },
          title: { S: '老旧小区改造' },
          blob: { B: Buffer.from('hi') },
        },
      }),
    );
    await update(partition, 'item', 'title', '加装电梯');
    await poller.drain();

    const streamArn = (await table.client.send(new DescribeTableCommand({ TableName: table.tableName })))
      .Table?.LatestStreamArn;
    expect(records.map((record) => record.eventName)).toEqual(['INSERT', 'MODIFY']);
    const [insert, modify] = records;
    expect(insert).toMatchObject({
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      eventSourceARN: streamArn,
      dynamodb: {
        Keys: { PK: { S: partition }, SK: { S: 'item' } },
        NewImage: {
          PK: { S: partition },
          SK: { S: 'item' },
          title: { S: '老旧小区改造' },
          blob: { B: 'aGk=' },
        },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(insert?.eventID).toBeTruthy();
    expect(insert?.dynamodb?.OldImage).toBeUndefined();
    expect(typeof insert?.dynamodb?.ApproximateCreationDateTime).toBe('number');
    expect(typeof insert?.dynamodb?.SizeBytes).toBe('number');
    expect(insert?.dynamodb?.SequenceNumber).toMatch(/^\d+$/);
    expect(modify?.dynamodb?.OldImage?.title).toEqual({ S: '老旧小区改造' });
    expect(modify?.dynamodb?.NewImage?.title).toEqual({ S: '加装电梯' });
    expect(BigInt(modify?.dynamodb?.SequenceNumber ?? '0')).toBeGreaterThan(
      BigInt(insert?.dynamodb?.SequenceNumber ?? '0'),
    );
  });

  it("applies STREAM_SOURCE's filter patterns and checkpoints past the records they skip", async () => {
    const partition = newPartition();
    const dataDir = await tempDir();
    const handled: string[] = [];
    // Only the partition filter here: the default (STREAM_SOURCE.filterPatterns) does the rest.
    const poller = await startStreamPoller({
      client: table.client,
      tableName: table.tableName,
      dataDir,
      pollIntervalMs: 20,
      log: () => {},
      settings: STREAM_SOURCE,
      handler: async (event) => {
        for (const record of event.Records) {
          if (record.dynamodb?.Keys?.PK?.S === partition) handled.push(`${record.eventName} ${skOf(record)}`);
        }
      },
    });
    pollers.push(poller);
    await put(partition, 'milestone', { entity: ENTITY.milestone });
    await put(partition, 'project', { entity: ENTITY.project });
    await put(partition, 'region', { entity: ENTITY.region });
    await update(partition, 'region', 'progress', '50');
    await update(partition, 'milestone', 'note', 'corrected');
    await poller.drain();

    expect(handled).toEqual(['INSERT milestone', 'INSERT region', 'MODIFY region']);
    const checkpoints = JSON.parse(await readFile(join(dataDir, 'streams', 'checkpoints.json'), 'utf8')) as {
      streams: Record<string, Record<string, { sequenceNumber: string }>>;
    };
    const sequences = Object.values(checkpoints.streams).flatMap((shards) =>
      Object.values(shards).map((shard) => BigInt(shard.sequenceNumber)),
    );
    // The last record (a MODIFY of a milestone, filtered out) is checkpointed all the same.
    const lastWritten = await lastSequenceOf(partition, 'milestone');
    expect(sequences.some((sequence) => sequence >= lastWritten)).toBe(true);
  });

  it('re-delivers from the first failed record when the handler reports a partial batch failure', async () => {
    const partition = newPartition();
    // Written before the poller starts, so that one GetRecords page (one batch) holds all three.
    for (const sk of ['a', 'b', 'c']) await put(partition, sk);
    const calls: string[][] = [];
    const poller = await start(partition, async (event) => {
      calls.push(event.Records.map((record) => skOf(record) ?? ''));
      const second = event.Records.find((record) => skOf(record) === 'b');
      if (calls.length === 1 && second) {
        return { batchItemFailures: [{ itemIdentifier: second.dynamodb?.SequenceNumber ?? '' }] };
      }
      return { batchItemFailures: [] };
    });
    await poller.drain();

    expect(calls).toEqual([
      ['a', 'b', 'c'],
      ['b', 'c'],
    ]);
  });

  it('bisects a failing batch and, after the retries, writes the poison record to the on-failure file', async () => {
    const partition = newPartition();
    const dataDir = await tempDir();
    const handled: string[] = [];
    const failures: StreamFailureEntry[] = [];
    let poisonAttempts = 0;
    // Written before the poller starts, so that they arrive as one batch, which is bisected.
    for (const sk of ['a', 'b', 'poison', 'c']) await put(partition, sk);
    const poller = await start(
      partition,
      async (event) => {
        const keys = event.Records.map((record) => skOf(record) ?? '');
        if (keys.includes('poison')) {
          if (keys.length === 1) poisonAttempts++;
          throw new Error('cannot handle poison');
        }
        handled.push(...keys);
      },
      {
        dataDir,
        settings: { ...STREAM_SOURCE, retryAttempts: 2 },
        onFailure: (entry) => failures.push(entry),
      },
    );
    await poller.drain();
    await put(partition, 'after');
    await poller.drain();

    expect(handled).toEqual(['a', 'b', 'c', 'after']);
    expect(poisonAttempts).toBe(3); // the first try and retryAttempts retries
    expect(failures).toHaveLength(1);
    const lines = (await readFile(join(dataDir, 'streams', 'on-failure.jsonl'), 'utf8')).trim().split('\n');
    const written = JSON.parse(lines[0] ?? '{}') as StreamFailureEntry;
    expect(lines).toHaveLength(1);
    expect(written).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted' },
      responseContext: { functionError: 'Unhandled' },
      DDBStreamBatchInfo: { batchSize: 1 },
    });
    expect(written.records.map(skOf)).toEqual(['poison']);
    expect(written.DDBStreamBatchInfo.startSequenceNumber).toBe(written.records[0]?.dynamodb?.SequenceNumber);
  });

  it("with STREAM_SOURCE's settings, retries a failing batch far past the old 10 retries and never gives it up while its records are young", async () => {
    const partition = newPartition();
    const dataDir = await tempDir();
    const failures: StreamFailureEntry[] = [];
    const attempts: string[][] = [];
    // Written before the poller starts, so that one GetRecords page (one batch) holds both: the
    // poller polls on a fixed beat, and a poll between two puts would split them.
    for (const sk of ['a', 'b']) await put(partition, sk);
    // The publisher during a bus outage: each invocation reports its first record as failed.
    const REFUSALS = 25;
    const poller = await start(
      partition,
      async (event) => {
        attempts.push(event.Records.map((record) => skOf(record) ?? ''));
        const first = event.Records[0]?.dynamodb?.SequenceNumber ?? '';
        return { batchItemFailures: attempts.length <= REFUSALS ? [{ itemIdentifier: first }] : [] };
      },
      // The waits are capped as the runtime caps them under a small time scale (30 s uncapped).
      { dataDir, maxRetryBackoffMs: 5, onFailure: (entry) => failures.push(entry) },
    );
    await poller.drain();

    expect(STREAM_SOURCE).toMatchObject({ retryAttempts: -1, maxRecordAgeSeconds: -1 });
    expect(attempts).toHaveLength(REFUSALS + 1);
    expect(new Set(attempts.map((keys) => keys.join(',')))).toEqual(new Set(['a,b']));
    expect(failures).toEqual([]);
    await expect(readFile(join(dataDir, 'streams', 'on-failure.jsonl'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('begins a poll of an idle stream every interval, however long GetRecords takes', async () => {
    const partition = newPartition();
    const streams = await streamsClientFor(table.client);
    const send = streams.send.bind(streams);
    const getRecordsStarts: number[] = [];
    // A loaded DynamoDB Local: GetRecords takes 300 ms of the 400 ms interval.
    streams.send = (async (command: Parameters<typeof send>[0]) => {
      if (command instanceof GetRecordsCommand) {
        getRecordsStarts.push(Date.now());
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      return send(command);
    }) as typeof streams.send;
    try {
      const poller = await start(partition, async () => {}, { pollIntervalMs: 400, streamsClient: streams });
      await vi.waitFor(() => expect(getRecordsStarts.length).toBeGreaterThanOrEqual(8), {
        timeout: 20_000,
        interval: 50,
      });
      await poller.stop();
    } finally {
      streams.destroy();
    }
    // The last gaps, once the records of earlier tests are read: a sleep of the whole interval
    // after each GetRecords would put 700 ms between polls, a record waiting that long.
    const gaps = getRecordsStarts
      .slice(-5)
      .map((at, index, starts) => at - (starts[index - 1] ?? at))
      .slice(1)
      .sort((a, b) => a - b);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeLessThan(600);
  }, 30_000);

  it('resumes after the last handled record when a new poller starts on the same data directory', async () => {
    const partition = newPartition();
    const dataDir = await tempDir();
    const handled: string[] = [];
    const handler = async (event: DynamoDBStreamEvent) => {
      handled.push(...event.Records.map((record) => skOf(record) ?? ''));
    };
    const first = await start(partition, handler, { dataDir });
    await put(partition, 'one');
    await put(partition, 'two');
    await first.drain();
    await first.stop();

    await put(partition, 'three');
    await put(partition, 'four');
    const second = await start(partition, handler, { dataDir });
    await second.drain();

    expect(handled).toEqual(['one', 'two', 'three', 'four']);
  });
});

/** The sequence number of the latest stream record of an item, read back through a poller of our own. */
const lastSequenceOf = async (partition: string, sk: string): Promise<bigint> => {
  let last = 0n;
  const poller = await start(partition, async (event) => {
    for (const record of event.Records) {
      if (skOf(record) === sk) last = BigInt(record.dynamodb?.SequenceNumber ?? '0');
    }
  });
  await poller.drain();
  return last;
};
