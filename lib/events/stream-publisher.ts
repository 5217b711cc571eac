import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { EVENT_ENV, STREAM_SOURCE } from '../../functions/events/plumbing.js';
import { TABLE_NAME_ENV } from '../../functions/storage/table-definition.js';
import { createDeadLetterQueue } from '../dead-letter-queue.js';
import { EVENT_FUNCTION_HANDLERS } from '../function-handlers.js';
import type { StageConfig } from '../stage-config.js';
import { createTrackerFunction } from '../tracker-function.js';
import { grantTableItems } from './table-items.js';

/** A batch of up to 100 stream records: threshold claims, PutEvents rounds with backoff, the event log. */
export const PUBLISHER_TIMEOUT = Duration.seconds(60);

export interface StreamPublisherProps {
  config: StageConfig;
  table: dynamodb.Table;
  bus: events.EventBus;
}

/**
 * The table's stream → the publisher → the bus, and the queue of stream batches the publisher
 * could not handle. Not a construct of its own: its resources are made in the scope it is given,
 * so their logical IDs are those the deployed stacks already have.
 */
export class StreamPublisher {
  readonly publisher: NodejsFunction;
  /**
   * What a person must look at: records the publisher found can never become an event (sent by the
   * function, with their content), and batches still failing when their records left the stream
   * (sent by Lambda, described by shard and sequence numbers).
   */
  readonly streamFailureQueue: sqs.Queue;

  constructor(scope: Construct, props: StreamPublisherProps) {
    const { config, table, bus } = props;
    this.streamFailureQueue = createDeadLetterQueue(
      scope,
      'StreamFailures',
      'Committed facts did not become events on the bus: a record that can never be an event (UnpublishableStreamRecord), or a batch still failing when it left the stream.',
    );
    this.publisher = createTrackerFunction(scope, 'Publisher', {
      config,
      handler: EVENT_FUNCTION_HANDLERS.publisher,
      description: "Publishes the table's committed facts as events on the bus",
      timeout: PUBLISHER_TIMEOUT,
      environment: {
        [TABLE_NAME_ENV]: table.tableName,
        [EVENT_ENV.busName]: bus.eventBusName,
        [EVENT_ENV.streamFailureQueueUrl]: this.streamFailureQueue.queueUrl,
      },
    });
    // Grants the stream reads (DescribeStream, GetRecords, GetShardIterator on the stream ARN, and
    // ListStreams on the table's streams: lib/tracker-table.ts) and SendMessage on the failure queue.
    this.publisher.addEventSource(
      new DynamoEventSource(table, {
        batchSize: STREAM_SOURCE.batchSize,
        maxBatchingWindow: Duration.seconds(STREAM_SOURCE.maxBatchingWindowSeconds),
        startingPosition: lambda.StartingPosition[STREAM_SOURCE.startingPosition],
        bisectBatchOnError: STREAM_SOURCE.bisectBatchOnError,
        retryAttempts: STREAM_SOURCE.retryAttempts,
        reportBatchItemFailures: STREAM_SOURCE.reportBatchItemFailures,
        filters: STREAM_SOURCE.filterPatterns.map((pattern) => lambda.FilterCriteria.filter(pattern)),
        onFailure: new SqsDlq(this.streamFailureQueue),
      }),
    );
    keepRecordsUntilTheyExpire(this.publisher);
    acknowledgeListStreams(this.publisher, table);
    Validations.of(this.publisher).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Only its stream event source invokes the publisher, synchronously: batches that still fail ' +
        "go to the mapping's on-failure destination, the stream failure queue.",
    });
    bus.grantPutEventsTo(this.publisher);
    grantTableItems(this.publisher, table, [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:Query',
    ]);
  }
}

/**
 * Sets the mapping's MaximumRecordAgeInSeconds to STREAM_SOURCE's -1 ("until the record leaves the
 * stream"): CDK's `maxRecordAge` accepts 60 s to 7 days only, and leaving it out would only rely
 * on a default the template does not show.
 */
const keepRecordsUntilTheyExpire = (publisher: NodejsFunction) => {
  const mapping = publisher.node.children.find((child) => child instanceof lambda.EventSourceMapping);
  const resource = mapping?.node.defaultChild as lambda.CfnEventSourceMapping | undefined;
  if (resource === undefined) throw new Error('The publisher has no event source mapping');
  resource.maximumRecordAgeInSeconds = STREAM_SOURCE.maxRecordAgeSeconds;
};

/**
 * cdk-nag reads `<table ARN>/stream/*` as a wildcard. It is the narrowest resource ListStreams
 * takes for one table (the `*` is the stream's label, which changes when the stream is turned off
 * and on again); CDK's own grant would be '*', every stream of the account.
 */
const acknowledgeListStreams = (publisher: NodejsFunction, table: dynamodb.Table) => {
  const role = publisher.role;
  if (role === undefined) throw new Error('The publisher has no role');
  const tableId = Stack.of(table).getLogicalId(table.node.defaultChild as CfnElement);
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${tableId}.Arn>/stream/*]`,
    reason:
      "dynamodb:ListStreams on this table's streams only (DynamoDB Developer Guide: IAM policy to " +
      'grant read access for a DynamoDB stream only); the stream event source needs it.',
  });
};
