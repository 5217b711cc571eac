/** The poller's public shapes: mapping settings, handler, options, the on-failure entry and the handle. */

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { EventPattern } from '../eventbridge/event-pattern.js';

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
  /** Time from the start of one poll of an idle stream to the start of the next (250 ms). */
  pollIntervalMs?: number;
  /** First delay before retrying a failed batch (500 ms); doubles per retry, up to maxRetryBackoffMs. */
  retryBackoffMs?: number;
  /** Longest delay between retries of a failed batch (30 s); the runtime scales both with its time scale. */
  maxRetryBackoffMs?: number;
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
