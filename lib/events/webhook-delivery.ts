import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { DELIVERY_QUEUE, EVENT_ENV } from '../../functions/events/plumbing.js';
import { TABLE_NAME_ENV } from '../../functions/storage/table-definition.js';
import { consumeWorkQueue, createWorkQueue } from '../dead-letter-queue.js';
import { EVENT_FUNCTION_HANDLERS } from '../function-handlers.js';
import type { StageConfig } from '../stage-config.js';
import { createTrackerFunction } from '../tracker-function.js';
import { webhookPolicyEnvironment } from '../webhook-policy-environment.js';
import type { WebhookSecretsKey } from '../webhook-secrets-key.js';
import { grantTableItems } from './table-items.js';

/**
 * A batch of deliveries, sent concurrently: each gets DELIVERY_QUEUE.requestTimeoutMs, plus the
 * table reads and writes around it. The queue's visibility timeout must not be shorter.
 */
export const DELIVERER_TIMEOUT = Duration.seconds(30);

export interface WebhookDeliveryProps {
  config: StageConfig;
  table: dynamodb.Table;
  /** The deliverer is the one function that may decrypt webhook secrets. */
  secretsKey: WebhookSecretsKey;
}

/**
 * The delivery queue (one message per event and subscription, dead-lettered after the last retry)
 * → the deliverer → webhooks. Not a construct of its own: its resources are made in the scope it
 * is given, so their logical IDs are those the deployed stacks already have.
 */
export class WebhookDelivery {
  readonly deliveryQueue: sqs.Queue;
  readonly deliveryDeadLetterQueue: sqs.Queue;
  readonly deliverer: NodejsFunction;

  constructor(scope: Construct, props: WebhookDeliveryProps) {
    const { config, table } = props;
    const queues = createWorkQueue(
      scope,
      { queue: 'DeliveryQueue', deadLetters: 'DeliveryDeadLetters' },
      DELIVERY_QUEUE,
      DELIVERER_TIMEOUT,
      'Webhook deliveries failed every attempt for about a day and were given up on.',
    );
    this.deliveryQueue = queues.queue;
    this.deliveryDeadLetterQueue = queues.deadLetterQueue;

    this.deliverer = createTrackerFunction(scope, 'Deliverer', {
      config,
      handler: EVENT_FUNCTION_HANDLERS.deliverer,
      description: 'Posts queued deliveries to subscribers, retrying on a growing schedule',
      timeout: DELIVERER_TIMEOUT,
      environment: {
        [TABLE_NAME_ENV]: table.tableName,
        [EVENT_ENV.deliveryQueueUrl]: this.deliveryQueue.queueUrl,
        ...webhookPolicyEnvironment(config),
      },
    });
    // Only DELIVERY_QUEUE.maxConcurrency deliverers run, however many messages wait: a burst of
    // events cannot take the account's Lambda concurrency from the API.
    consumeWorkQueue(this.deliverer, this.deliveryQueue, DELIVERY_QUEUE);
    // The deliverer sets each failed message's next attempt itself; say so even though the
    // event source's grant includes it.
    this.deliverer.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sqs:ChangeMessageVisibility'],
        resources: [this.deliveryQueue.queueArn],
      }),
    );
    grantTableItems(this.deliverer, table, ['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    props.secretsKey.allowOpening(this.deliverer);
  }
}
