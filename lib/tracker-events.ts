import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  DELIVERY_QUEUE,
  EVENT_BUS,
  EVENT_ENV,
  FORWARD_PATTERN,
  NOTIFIER_RULE,
  STREAM_SOURCE,
} from '../functions/events/plumbing.js';
import { TABLE_NAME_ENV } from '../functions/storage/table-definition.js';
import type { StageConfig } from './stage-config.js';
import { createTrackerFunction } from './tracker-function.js';

/** How long failed stream batches, unroutable events and undeliverable webhooks wait for a look. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/** A batch of up to 100 stream records: threshold claims, PutEvents rounds with backoff, the event log. */
export const PUBLISHER_TIMEOUT = Duration.seconds(60);
/** One event: a delivery record and a queued message per matching subscription. */
export const NOTIFIER_TIMEOUT = Duration.seconds(30);
/** Lambda's own retries of a notifier that threw (its maximum), within its longest event age. */
export const NOTIFIER_ASYNC_RETRIES = 2;
export const NOTIFIER_ASYNC_MAX_AGE = Duration.hours(6);
/**
 * A batch of deliveries, sent concurrently: each gets DELIVERY_QUEUE.requestTimeoutMs, plus the
 * table reads and writes around it. The queue's visibility timeout must not be shorter.
 */
export const DELIVERER_TIMEOUT = Duration.seconds(30);

const ACCOUNT_ID = /^\d{12}$/;

/** The catalogue's patterns use EventBridge JSON keys; CDK spells detail-type `detailType`. */
const eventPattern = (pattern: {
  source: readonly string[];
  'detail-type'?: readonly string[];
}): events.EventPattern => ({
  source: [...pattern.source],
  ...(pattern['detail-type'] === undefined ? {} : { detailType: [...pattern['detail-type']] }),
});

export interface TrackerEventsProps {
  config: StageConfig;
  table: dynamodb.Table;
}

/**
 * Events, from commit to subscriber: the table's stream → the publisher → the custom bus (archived)
 * → the notifier rule → the notifier → the delivery queue → the deliverer → webhooks; and, per
 * subscribing account, a rule forwarding every product event to that account's default bus.
 * Settings come from functions/events/plumbing.ts, which the local runtime applies too.
 */
export class TrackerEvents extends Construct {
  readonly bus: events.EventBus;
  readonly archive: events.Archive;
  readonly publisher: NodejsFunction;
  /** Stream batches the publisher could not handle after its retries. */
  readonly streamFailureQueue: sqs.Queue;
  readonly notifier: NodejsFunction;
  readonly notifierRule: events.Rule;
  /** Events the notifier could not take after the rule's retries. */
  readonly notifierDeadLetterQueue: sqs.Queue;
  readonly deliveryQueue: sqs.Queue;
  readonly deliveryDeadLetterQueue: sqs.Queue;
  readonly deliverer: NodejsFunction;
  /** Subscribing account id → its forwarding rule. */
  readonly forwardRules: ReadonlyMap<string, events.Rule>;

  constructor(scope: Construct, id: string, props: TrackerEventsProps) {
    super(scope, id);
    const { config, table } = props;

    if (DELIVERY_QUEUE.visibilityTimeoutSeconds < DELIVERER_TIMEOUT.toSeconds()) {
      throw new Error(
        `The delivery queue's visibility timeout (${DELIVERY_QUEUE.visibilityTimeoutSeconds} s) is shorter ` +
          `than the deliverer's timeout (${DELIVERER_TIMEOUT.toSeconds()} s): messages would be received twice`,
      );
    }
    for (const account of config.subscriberAccounts) {
      if (!ACCOUNT_ID.test(account)) throw new Error(`Subscriber account "${account}" is not a 12-digit id`);
    }

    /** Item calls on the base table only: none of the event functions uses the index. */
    const tableItems = (fn: NodejsFunction, actions: string[]) =>
      fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources: [table.tableArn] }));

    // The bus and its archive.
    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: `livelihood-tracker-${config.stage}`,
      description: `Yangtze River Delta livelihood projects tracker events (${config.stage})`,
    });
    this.archive = this.bus.archive('Archive', {
      description: 'Every product event, for replay',
      eventPattern: eventPattern(EVENT_BUS.archivePattern),
      retention: Duration.days(EVENT_BUS.archiveRetentionDays),
    });

    // The stream → the publisher → the bus.
    this.streamFailureQueue = this.deadLetterQueue('StreamFailures');
    this.publisher = createTrackerFunction(this, 'Publisher', {
      config,
      handler: 'stream-publisher',
      description: "Publishes the table's committed facts as events on the bus",
      timeout: PUBLISHER_TIMEOUT,
      environment: { [TABLE_NAME_ENV]: table.tableName, [EVENT_ENV.busName]: this.bus.eventBusName },
    });
    // Grants the stream reads (DescribeStream, GetRecords, GetShardIterator on the stream ARN, and
    // ListStreams, which has no resource-level permissions) and SendMessage on the failure queue.
    this.publisher.addEventSource(
      new DynamoEventSource(table, {
        batchSize: STREAM_SOURCE.batchSize,
        maxBatchingWindow: Duration.seconds(STREAM_SOURCE.maxBatchingWindowSeconds),
        startingPosition: lambda.StartingPosition[STREAM_SOURCE.startingPosition],
        bisectBatchOnError: STREAM_SOURCE.bisectBatchOnError,
        retryAttempts: STREAM_SOURCE.retryAttempts,
        maxRecordAge: Duration.seconds(STREAM_SOURCE.maxRecordAgeSeconds),
        reportBatchItemFailures: STREAM_SOURCE.reportBatchItemFailures,
        filters: STREAM_SOURCE.filterPatterns.map((pattern) => lambda.FilterCriteria.filter(pattern)),
        onFailure: new SqsDlq(this.streamFailureQueue),
      }),
    );
    this.bus.grantPutEventsTo(this.publisher);
    tableItems(this.publisher, [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:Query',
    ]);

    // The delivery queue: one message per (event, subscription), dead-lettered after the last retry.
    this.deliveryDeadLetterQueue = this.deadLetterQueue('DeliveryDeadLetters');
    this.deliveryQueue = new sqs.Queue(this, 'DeliveryQueue', {
      visibilityTimeout: Duration.seconds(DELIVERY_QUEUE.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(DELIVERY_QUEUE.retentionDays),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: {
        queue: this.deliveryDeadLetterQueue,
        maxReceiveCount: DELIVERY_QUEUE.maxReceiveCount,
      },
    });

    // The bus → the notifier → the delivery queue.
    this.notifier = createTrackerFunction(this, 'Notifier', {
      config,
      handler: 'notifier',
      description: 'Queues one webhook delivery per subscription an event matches',
      timeout: NOTIFIER_TIMEOUT,
      environment: {
        [TABLE_NAME_ENV]: table.tableName,
        [EVENT_ENV.deliveryQueueUrl]: this.deliveryQueue.queueUrl,
      },
    });
    this.notifierDeadLetterQueue = this.deadLetterQueue('NotifierDeadLetters');
    this.notifierRule = new events.Rule(this, 'NotifierRule', {
      eventBus: this.bus,
      ruleName: NOTIFIER_RULE.name,
      description: 'Every product event → the notifier, which fans out to subscriptions',
      eventPattern: eventPattern(NOTIFIER_RULE.pattern),
      targets: [
        new targets.LambdaFunction(this.notifier, {
          retryAttempts: NOTIFIER_RULE.retryPolicy.maximumRetryAttempts,
          maxEventAge: Duration.seconds(NOTIFIER_RULE.retryPolicy.maximumEventAgeSeconds),
          deadLetterQueue: this.notifierDeadLetterQueue,
        }),
      ],
    });
    // The rule's retry policy covers getting the event to Lambda; once Lambda has accepted it, a
    // throwing notifier is retried by Lambda's asynchronous invocation, and an event that still
    // fails lands in the same dead-letter queue rather than being dropped.
    this.notifier.configureAsyncInvoke({
      retryAttempts: NOTIFIER_ASYNC_RETRIES,
      maxEventAge: NOTIFIER_ASYNC_MAX_AGE,
      onFailure: new destinations.SqsDestination(this.notifierDeadLetterQueue),
    });
    // SendMessageBatch is authorised by sqs:SendMessage; SSE-SQS needs no KMS grant.
    this.notifier.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deliveryQueue.queueArn] }),
    );
    tableItems(this.notifier, [
      'dynamodb:Query',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);

    // The delivery queue → the deliverer → webhooks.
    this.deliverer = createTrackerFunction(this, 'Deliverer', {
      config,
      handler: 'deliverer',
      description: 'Posts queued deliveries to subscribers, retrying on a growing schedule',
      timeout: DELIVERER_TIMEOUT,
      environment: {
        [TABLE_NAME_ENV]: table.tableName,
        [EVENT_ENV.deliveryQueueUrl]: this.deliveryQueue.queueUrl,
        [EVENT_ENV.allowLocalWebhooks]: String(config.allowLocalWebhooks),
      },
    });
    // Grants receive, delete, change-visibility and attribute reads on this queue only.
    this.deliverer.addEventSource(
      new SqsEventSource(this.deliveryQueue, {
        batchSize: DELIVERY_QUEUE.batchSize,
        reportBatchItemFailures: true,
      }),
    );
    // The deliverer sets each failed message's next attempt itself; say so even though the
    // event source's grant includes it.
    this.deliverer.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sqs:ChangeMessageVisibility'],
        resources: [this.deliveryQueue.queueArn],
      }),
    );
    tableItems(this.deliverer, ['dynamodb:GetItem', 'dynamodb:UpdateItem']);

    // The bus → each subscribing account's default bus (CDK makes a role allowed to put there only).
    const stack = Stack.of(this);
    const forwardRules = new Map<string, events.Rule>();
    for (const account of config.subscriberAccounts) {
      const defaultBus = events.EventBus.fromEventBusArn(
        this,
        `DefaultBus${account}`,
        stack.formatArn({
          service: 'events',
          account,
          resource: 'event-bus',
          resourceName: 'default',
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      );
      forwardRules.set(
        account,
        new events.Rule(this, `Forward${account}`, {
          eventBus: this.bus,
          description: `Every product event → the default bus of account ${account}`,
          eventPattern: eventPattern(FORWARD_PATTERN),
          targets: [new targets.EventBus(defaultBus)],
        }),
      );
    }
    this.forwardRules = forwardRules;
  }

  /** A queue that holds what could not be handled, encrypted, reachable over TLS only. */
  private deadLetterQueue(id: string): sqs.Queue {
    return new sqs.Queue(this, id, {
      retentionPeriod: DEAD_LETTER_RETENTION,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
  }
}
