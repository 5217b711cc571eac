/**
 * The event source mapping's handling of a shard's records: filter, batch, invoke, and on failure
 * retry with backoff, bisect, or send on to the on-failure destination, as Lambda does.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import type { Sleepers } from '../shared/sleepers.js';
import type { FailureDestination } from './failure-destination.js';
import { invokeHandler } from './invoke.js';
import type { Shard, StreamShards } from './shards.js';
import type { StreamHandler, StreamSourceSettings } from './types.js';

/** Thrown out of a batch when the poller stops between retries. */
export class Stopped extends Error {}

export interface BatchRunnerOptions {
  handler: StreamHandler;
  settings: StreamSourceSettings;
  /** Records it rejects are skipped (and checkpointed). */
  filter: (record: DynamoDBRecord) => boolean;
  /** First delay before retrying a failed batch; doubles per retry, up to maxRetryBackoffMs. */
  retryBackoffMs: number;
  maxRetryBackoffMs: number;
  tableName: string;
  log: (line: string) => void;
  shards: StreamShards;
  failures: FailureDestination;
  /** The backoff sleeps, ended early by a stop. */
  retrySleepers: Sleepers;
  isStopping: () => boolean;
}

export class BatchRunner {
  constructor(private readonly options: BatchRunnerOptions) {}

  /** Filters a page of records and hands the matching ones over in batches. */
  async handlePage(shard: Shard, page: DynamoDBRecord[]): Promise<void> {
    const { filter, settings, shards } = this.options;
    let batch: DynamoDBRecord[] = [];
    for (const record of page) {
      if (!filter(record)) continue;
      batch.push(record);
      if (batch.length >= settings.batchSize) {
        await this.runBatch(shard, batch, 0);
        batch = [];
      }
    }
    if (batch.length > 0) await this.runBatch(shard, batch, 0);
    // Records filtered out after the last batch still move the checkpoint.
    await shards.advance(shard, page[page.length - 1]);
  }

  private tooOld(batch: DynamoDBRecord[]): boolean {
    const maxAge = this.options.settings.maxRecordAgeSeconds ?? -1;
    if (maxAge < 0) return false;
    const oldest = Math.min(
      ...batch.map((record) => record.dynamodb?.ApproximateCreationDateTime ?? Infinity),
    );
    return Number.isFinite(oldest) && Date.now() / 1000 - oldest > maxAge;
  }

  /**
   * Lambda's handling of one batch: success checkpoints it; a partial failure checkpoints the
   * records before the first failed one and retries from it; an error retries the batch, split in
   * two when bisectBatchOnError (the split itself is not counted as a retry). After retryAttempts
   * retries, or once the records are older than maxRecordAgeSeconds, the batch goes to the
   * on-failure destination and is skipped.
   */
  private async runBatch(shard: Shard, batch: DynamoDBRecord[], retriesBefore: number): Promise<void> {
    const { settings, shards, isStopping } = this.options;
    let current = batch;
    let retries = retriesBefore;
    let invocations = 0;
    for (;;) {
      if (isStopping()) throw new Stopped();
      invocations++;
      const outcome = await invokeHandler(this.options.handler, settings, current);
      if (outcome.kind === 'ok') {
        await shards.advance(shard, current[current.length - 1]);
        return;
      }
      if (outcome.kind === 'partial' && outcome.index > 0) {
        await shards.advance(shard, current[outcome.index - 1]);
        current = current.slice(outcome.index);
      }
      if (outcome.kind === 'error') {
        this.options.log(
          `stream ${this.options.tableName}: handler failed on ${current.length} record(s): ${outcome.message}`,
        );
      }
      const exhausted = settings.retryAttempts >= 0 && retries >= settings.retryAttempts;
      if (exhausted || this.tooOld(current)) {
        this.options.failures.send({
          shardId: shard.id,
          streamArn: shards.streamArn,
          batch: current,
          condition: exhausted ? 'RetryAttemptsExhausted' : 'RecordAgeExceeded',
          invokeCount: invocations,
          outcome,
        });
        await shards.advance(shard, current[current.length - 1]);
        return;
      }
      const bisect = outcome.kind === 'error' && settings.bisectBatchOnError && current.length > 1;
      if (!bisect) retries++;
      await this.options.retrySleepers.sleep(
        Math.min(this.options.retryBackoffMs * 2 ** Math.max(0, retries - 1), this.options.maxRetryBackoffMs),
      );
      if (isStopping()) throw new Stopped();
      if (bisect) {
        const middle = Math.ceil(current.length / 2);
        await this.runBatch(shard, current.slice(0, middle), retries);
        await this.runBatch(shard, current.slice(middle), retries);
        return;
      }
    }
  }
}
