import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { EVENT_ENV, NOTIFIER_RULE } from '../../functions/events/plumbing.js';
import { TABLE_NAME_ENV } from '../../functions/storage/table-definition.js';
import { acknowledgeFailureDestination, createDeadLetterQueue } from '../dead-letter-queue.js';
import { EVENT_FUNCTION_HANDLERS } from '../function-handlers.js';
import type { StageConfig } from '../stage-config.js';
import { createTrackerFunction } from '../tracker-function.js';
import { eventPattern } from './event-pattern.js';
import { grantTableItems } from './table-items.js';

/** One event: a delivery record and a queued message per matching subscription. */
export const NOTIFIER_TIMEOUT = Duration.seconds(30);
/** Lambda's own retries of a notifier that threw (its maximum), within its longest event age. */
export const NOTIFIER_ASYNC_RETRIES = 2;
export const NOTIFIER_ASYNC_MAX_AGE = Duration.hours(6);

export interface NotifierProps {
  config: StageConfig;
  table: dynamodb.Table;
  bus: events.EventBus;
  /** Where the notifier queues one delivery per matching subscription. */
  deliveryQueue: sqs.Queue;
}

/**
 * The bus → the notifier rule → the notifier → the delivery queue, and the dead-letter queue of
 * events the notifier could not take. Not a construct of its own: its resources are made in the
 * scope it is given, so their logical IDs are those the deployed stacks already have.
 */
export class Notifier {
  readonly notifier: NodejsFunction;
  readonly notifierRule: events.Rule;
  /** Events the notifier could not take after the rule's retries. */
  readonly notifierDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, props: NotifierProps) {
    const { config, table, bus, deliveryQueue } = props;
    this.notifier = createTrackerFunction(scope, 'Notifier', {
      config,
      handler: EVENT_FUNCTION_HANDLERS.notifier,
      description: 'Queues one webhook delivery per subscription an event matches',
      timeout: NOTIFIER_TIMEOUT,
      environment: {
        [TABLE_NAME_ENV]: table.tableName,
        [EVENT_ENV.deliveryQueueUrl]: deliveryQueue.queueUrl,
      },
    });
    this.notifierDeadLetterQueue = createDeadLetterQueue(
      scope,
      'NotifierDeadLetters',
      'Events reached the bus but the notifier could not fan them out: no subscriber was sent them.',
    );
    this.notifierRule = new events.Rule(scope, 'NotifierRule', {
      eventBus: bus,
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
    acknowledgeFailureDestination(this.notifier, this.notifierDeadLetterQueue);
    // SendMessageBatch is authorised by sqs:SendMessage; SSE-SQS needs no KMS grant.
    this.notifier.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [deliveryQueue.queueArn] }),
    );
    grantTableItems(this.notifier, table, [
      'dynamodb:Query',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
  }
}
