import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBRecord } from 'aws-lambda';

/** The `kind` that tells the publisher's messages from Lambda's on-failure descriptions in the same queue. */
export const UNPUBLISHABLE_RECORD = 'UnpublishableStreamRecord';

/** SQS's largest message (1 MiB since August 2025). */
export const SQS_MAX_MESSAGE_BYTES = 1_048_576;

/**
 * What the stream failure queue receives for a record that can never become a valid event: the
 * stream record itself, so that nothing the table committed is known only by its sequence number.
 */
export interface UnpublishableRecordMessage {
  kind: typeof UNPUBLISHABLE_RECORD;
  /** Why the record cannot become an event (the schema problem, the refused entry…). */
  reason: string;
  /** When the publisher gave up on it. */
  noticedAt: string;
  /** The DynamoDB stream record as Lambda delivered it, images included. */
  record: DynamoDBRecord;
  /** Set when the message would have exceeded SQS's limit without the old image (the new one is kept). */
  omitted?: ['OldImage'];
}

/** Where the publisher puts records it must not retry for ever. */
export interface UnpublishableRecords {
  send(record: DynamoDBRecord, reason: string): Promise<void>;
}

/** The message for `record`; without its old image when both images together are too large for SQS. */
export const unpublishableRecordMessage = (
  record: DynamoDBRecord,
  reason: string,
  now: Date,
): UnpublishableRecordMessage => {
  const message: UnpublishableRecordMessage = {
    kind: UNPUBLISHABLE_RECORD,
    reason,
    noticedAt: now.toISOString(),
    record,
  };
  if (Buffer.byteLength(JSON.stringify(message)) <= SQS_MAX_MESSAGE_BYTES || !record.dynamodb?.OldImage) {
    return message;
  }
  const { OldImage: _left, ...stream } = record.dynamodb;
  return { ...message, record: { ...record, dynamodb: stream }, omitted: ['OldImage'] };
};

/** The stream failure queue (StreamFailures), reached with SendMessage. */
export class UnpublishableRecordQueue implements UnpublishableRecords {
  constructor(private readonly deps: { sqs: SQSClient; queueUrl: string; now?: () => Date }) {}

  async send(record: DynamoDBRecord, reason: string): Promise<void> {
    if (this.deps.queueUrl === '') throw new Error('No stream failure queue is configured');
    const message = unpublishableRecordMessage(record, reason, this.deps.now?.() ?? new Date());
    await this.deps.sqs.send(
      new SendMessageCommand({ QueueUrl: this.deps.queueUrl, MessageBody: JSON.stringify(message) }),
    );
  }
}
