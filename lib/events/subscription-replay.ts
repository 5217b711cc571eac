import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { EVENT_ENV, REPLAY_QUEUE } from '../../functions/events/plumbing.js';
import { TABLE_NAME_ENV } from '../../functions/storage/table-definition.js';
import { consumeWorkQueue, createWorkQueue } from '../dead-letter-queue.js';
import { EVENT_FUNCTION_HANDLERS } from '../function-handlers.js';
import type { StageConfig } from '../stage-config.js';
import { createTrackerFunction } from '../tracker-function.js';
import { grantTableItems } from './table-items.js';

/** One page of the event log: up to REPLAY_QUEUE.pageSize deliveries opened and queued. */
export const REPLAY_WORKER_TIMEOUT = Duration.seconds(30);

export interface SubscriptionReplayProps {
  config: StageConfig;
  table: dynamodb.Table;
  /** Where the worker queues the deliveries a page asks for. */
  deliveryQueue: sqs.Queue;
}

/**
 * The replay queue (one message per page of a replay, dead-lettered when even marking the replay
 * failed did not work) → the replay worker → the delivery queue. Made in the scope it is given,
 * like the other parts of the events.
 */
export class SubscriptionReplay {
  readonly replayQueue: sqs.Queue;
  readonly replayDeadLetterQueue: sqs.Queue;
  readonly replayWorker: NodejsFunction;

  constructor(scope: Construct, props: SubscriptionReplayProps) {
    const { config, table, deliveryQueue } = props;
    const queues = createWorkQueue(
      scope,
      { queue: 'ReplayQueue', deadLetters: 'ReplayDeadLetters' },
      REPLAY_QUEUE,
      REPLAY_WORKER_TIMEOUT,
      'Replay pages failed every attempt and could not even mark their replay failed.',
    );
    this.replayQueue = queues.queue;
    this.replayDeadLetterQueue = queues.deadLetterQueue;

    this.replayWorker = createTrackerFunction(scope, 'ReplayWorker', {
      config,
      handler: EVENT_FUNCTION_HANDLERS.replayWorker,
      description: "Reads a replay's event log a page at a time and queues its deliveries",
      timeout: REPLAY_WORKER_TIMEOUT,
      environment: {
        [TABLE_NAME_ENV]: table.tableName,
        [EVENT_ENV.deliveryQueueUrl]: deliveryQueue.queueUrl,
        [EVENT_ENV.replayQueueUrl]: this.replayQueue.queueUrl,
      },
    });
    consumeWorkQueue(this.replayWorker, this.replayQueue, REPLAY_QUEUE);
    // The next page's message, and the deliveries of this one; SendMessageBatch is SendMessage.
    this.replayWorker.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: [this.replayQueue.queueArn, deliveryQueue.queueArn],
      }),
    );
    grantTableItems(this.replayWorker, table, [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:Query',
    ]);
  }
}
