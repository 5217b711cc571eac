/**
 * A stream's shards as the poller walks them: listed with DescribeStream, read in order with
 * GetShardIterator/GetRecords from their checkpoint, and a shard's children only after it is
 * exhausted. Every advance of a checkpoint is saved before the poller reads on.
 */
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { errorName } from '../shared/error-text.js';
import type { CheckpointStore, ShardCheckpoint } from './checkpoints.js';
import { sequenceOf, toLambdaRecord } from './lambda-record.js';
import type { StreamSourceSettings } from './types.js';

const GET_RECORDS_LIMIT = 1_000;

export interface Shard {
  id: string;
  parentId: string | undefined;
  startingSequence: bigint;
  iterator: string | undefined;
  checkpoint: string | null;
  finished: boolean;
}

export interface StreamShardsOptions {
  streams: DynamoDBStreamsClient;
  streamArn: string;
  checkpoints: CheckpointStore;
  startingPosition: StreamSourceSettings['startingPosition'];
  /** `awsRegion` of the records. */
  region: string;
  tableName: string;
  log: (line: string) => void;
}

export class StreamShards {
  private currentArn: string;
  private shards = new Map<string, Shard>();
  private saved: Record<string, ShardCheckpoint>;

  constructor(private readonly options: StreamShardsOptions) {
    this.currentArn = options.streamArn;
    this.saved = options.checkpoints.load(options.streamArn);
  }

  get streamArn(): string {
    return this.currentArn;
  }

  /** The table got a new stream: read it from the start, forgetting the old one's shards. */
  restart(streamArn: string): void {
    this.currentArn = streamArn;
    this.shards = new Map();
    this.saved = {};
  }

  private persist(): Promise<void> {
    const entry: Record<string, ShardCheckpoint> = {};
    for (const shard of this.shards.values()) {
      if (shard.checkpoint === null && !shard.finished) continue;
      entry[shard.id] = { sequenceNumber: shard.checkpoint, ...(shard.finished ? { finished: true } : {}) };
    }
    this.saved = entry;
    return this.options.checkpoints.save(this.currentArn, entry);
  }

  /** Moves the shard's checkpoint to `record` (never backwards); resolves once it is saved. */
  async advance(shard: Shard, record: DynamoDBRecord | undefined): Promise<void> {
    if (!record) return;
    const sequence = sequenceOf(record);
    if (shard.checkpoint !== null && BigInt(sequence) <= BigInt(shard.checkpoint)) return;
    shard.checkpoint = sequence;
    await this.persist();
  }

  /** The shard is closed and read to its end: its children may start. */
  finish(shard: Shard): Promise<void> {
    shard.finished = true;
    return this.persist();
  }

  async refresh(): Promise<void> {
    const listed: Shard[] = [];
    let exclusiveStart: string | undefined;
    do {
      const page = await this.options.streams.send(
        new DescribeStreamCommand({ StreamArn: this.currentArn, ExclusiveStartShardId: exclusiveStart }),
      );
      for (const shard of page.StreamDescription?.Shards ?? []) {
        if (!shard.ShardId) continue;
        const known = this.shards.get(shard.ShardId);
        const checkpoint = this.saved[shard.ShardId];
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
    this.shards = new Map(listed.map((shard) => [shard.id, shard]));
  }

  /** Unfinished shards whose parent is done (or gone from the stream). */
  eligible(): Shard[] {
    return [...this.shards.values()].filter((shard) => {
      if (shard.finished) return false;
      const parent = shard.parentId === undefined ? undefined : this.shards.get(shard.parentId);
      return parent === undefined || parent.finished;
    });
  }

  /** An iterator after the shard's checkpoint, or at the starting position without one. */
  async iteratorFor(shard: Shard): Promise<string | undefined> {
    const { streams, tableName, log, startingPosition } = this.options;
    const base = { StreamArn: this.currentArn, ShardId: shard.id };
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
          `stream ${tableName}: records after ${shard.checkpoint} were trimmed; reading ${shard.id} from the start`,
        );
      }
    }
    const response = await streams.send(
      new GetShardIteratorCommand({ ...base, ShardIteratorType: startingPosition }),
    );
    return response.ShardIterator;
  }

  /** One GetRecords at the shard's iterator, which moves on; `closed` once the shard has no more. */
  async getRecords(shard: Shard, iterator: string): Promise<{ records: DynamoDBRecord[]; closed: boolean }> {
    const response = await this.options.streams.send(
      new GetRecordsCommand({ ShardIterator: iterator, Limit: GET_RECORDS_LIMIT }),
    );
    const records = (response.Records ?? []).map((record) =>
      toLambdaRecord(record, this.currentArn, this.options.region),
    );
    shard.iterator = response.NextShardIterator;
    return { records, closed: response.NextShardIterator === undefined };
  }
}
