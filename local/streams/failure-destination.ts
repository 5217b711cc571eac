/**
 * The mapping's on-failure destination: records that exhausted their retries are described as
 * Lambda describes them, appended to `<dataDir>/streams/on-failure.jsonl` (the local stand-in for
 * the SQS destination) and handed to `onFailure`.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBRecord } from 'aws-lambda';
import { appendFileDurably, jsonLines } from '../shared/durable-file.js';
import type { Outcome } from './invoke.js';
import { sequenceOf } from './lambda-record.js';
import type { StreamFailureEntry } from './types.js';

export interface FailedBatch {
  shardId: string;
  streamArn: string;
  batch: DynamoDBRecord[];
  condition: StreamFailureEntry['requestContext']['condition'];
  invokeCount: number;
  outcome: Outcome;
}

/** ISO 8601 without milliseconds, as Lambda writes arrival times. */
const arrival = (record: DynamoDBRecord | undefined) =>
  new Date((record?.dynamodb?.ApproximateCreationDateTime ?? 0) * 1000)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');

const failureEntry = ({ shardId, streamArn, batch, condition, invokeCount, outcome }: FailedBatch) => {
  const first = batch[0];
  const last = batch[batch.length - 1];
  const entry: StreamFailureEntry = {
    requestContext: { requestId: randomUUID(), condition, approximateInvokeCount: invokeCount },
    responseContext: {
      functionError: outcome.kind === 'partial' ? 'PartialBatchFailure' : 'Unhandled',
      ...(outcome.kind === 'error' ? { errorMessage: outcome.message.split('\n')[0] ?? '' } : {}),
    },
    version: '1.0',
    timestamp: new Date().toISOString(),
    DDBStreamBatchInfo: {
      shardId,
      startSequenceNumber: first ? sequenceOf(first) : '',
      endSequenceNumber: last ? sequenceOf(last) : '',
      approximateArrivalOfFirstRecord: arrival(first),
      approximateArrivalOfLastRecord: arrival(last),
      batchSize: batch.length,
      streamArn,
    },
    records: batch,
  };
  return entry;
};

export class FailureDestination {
  constructor(
    /** null: memory only (onFailure still hears of it). */
    private readonly path: string | null,
    private readonly tableName: string,
    private readonly log: (line: string) => void,
    private readonly onFailure: ((entry: StreamFailureEntry) => void) | undefined,
  ) {}

  send(failed: FailedBatch): void {
    const entry = failureEntry(failed);
    this.log(
      `stream ${this.tableName}: ${failed.batch.length} record(s) ${entry.DDBStreamBatchInfo.startSequenceNumber}…` +
        `${entry.DDBStreamBatchInfo.endSequenceNumber} sent to the on-failure destination (${failed.condition})`,
    );
    if (this.path !== null) appendFileDurably(this.path, jsonLines([entry]));
    this.onFailure?.(entry);
  }
}
