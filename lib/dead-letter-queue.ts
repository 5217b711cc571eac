import { Duration, Validations } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct, IConstruct } from 'constructs';

/** How long failed stream batches, unroutable events and undeliverable webhooks wait for a look. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/** A dead-letter queue as the alarms, the dashboard and the runbook see it. */
export interface DeadLetters {
  queue: sqs.Queue;
  /** What a message waiting in it means, in a sentence (the alarm's description starts with it). */
  holds: string;
  /**
   * The queue SQS moved its messages from, when it is a queue's redrive target: a message-move
   * task can send them back there. Undefined where a service (Lambda, EventBridge, Scheduler)
   * sent them: SQS cannot redrive those.
   */
  source?: sqs.Queue;
}

/**
 * Every dead-letter queue made here, so that the alarms find them all (deadLetterQueuesIn) and a
 * new one cannot go unwatched. Weak: a synthesised stack and its queues are freed as usual.
 */
const REGISTERED = new WeakMap<IConstruct, DeadLetters>();

/** The dead-letter queues made by this file under `scope`, in construct-tree order. */
export const deadLetterQueuesIn = (scope: IConstruct): DeadLetters[] =>
  scope.node.findAll().flatMap((child) => {
    const registered = REGISTERED.get(child);
    return registered === undefined ? [] : [registered];
  });

/**
 * A queue that holds what could not be handled, encrypted, reachable over TLS only. `holds` says
 * what a message in it means (see DeadLetters).
 */
export const createDeadLetterQueue = (scope: Construct, id: string, holds: string): sqs.Queue => {
  const queue = new sqs.Queue(scope, id, {
    retentionPeriod: DEAD_LETTER_RETENTION,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });
  REGISTERED.set(queue, { queue, holds });
  const reason =
    'This queue is itself a dead-letter queue: nothing consumes it, a person reads and redrives ' +
    'it (README runbook), so a dead-letter queue of its own would have nothing to catch.';
  Validations.of(queue).acknowledge(
    { id: 'AwsSolutions-SQS3', reason },
    { id: 'Serverless-SQSRedrivePolicy', reason },
  );
  return queue;
};

export interface WorkQueueSettings {
  visibilityTimeoutSeconds: number;
  retentionDays: number;
  /** Receives before a message goes to the dead-letter queue. */
  maxReceiveCount: number;
}

/**
 * A queue a function consumes, with its dead-letter queue: same encryption and TLS rule as the
 * dead letters. `consumerTimeout` is the consumer's timeout: a visibility timeout shorter than it
 * would let a message be received twice while it is still being handled. `deadLettersHold` says
 * what a dead-lettered message means.
 */
export const createWorkQueue = (
  scope: Construct,
  ids: { queue: string; deadLetters: string },
  settings: WorkQueueSettings,
  consumerTimeout: Duration,
  deadLettersHold: string,
): { queue: sqs.Queue; deadLetterQueue: sqs.Queue } => {
  if (settings.visibilityTimeoutSeconds < consumerTimeout.toSeconds()) {
    throw new Error(
      `Queue ${ids.queue}: its visibility timeout (${settings.visibilityTimeoutSeconds} s) is shorter than ` +
        `its consumer's timeout (${consumerTimeout.toSeconds()} s): messages would be received twice`,
    );
  }
  const deadLetterQueue = createDeadLetterQueue(scope, ids.deadLetters, deadLettersHold);
  const queue = new sqs.Queue(scope, ids.queue, {
    visibilityTimeout: Duration.seconds(settings.visibilityTimeoutSeconds),
    retentionPeriod: Duration.days(settings.retentionDays),
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: settings.maxReceiveCount },
  });
  REGISTERED.set(deadLetterQueue, { queue: deadLetterQueue, holds: deadLettersHold, source: queue });
  return { queue, deadLetterQueue };
};

/** How a work queue's consumer reads it (the shared definitions in functions/events/plumbing.ts). */
export interface ConsumerSettings {
  batchSize: number;
  /** However many messages wait, at most this many consumers run at once. */
  maxConcurrency: number;
}

/**
 * `fn` consumes `queue` (made by createWorkQueue) through an SQS event source that reports
 * failures message by message. The event source grants receive, delete, change-visibility and
 * attribute reads on this queue only.
 */
export const consumeWorkQueue = (fn: NodejsFunction, queue: sqs.Queue, settings: ConsumerSettings): void => {
  fn.addEventSource(
    new SqsEventSource(queue, {
      batchSize: settings.batchSize,
      reportBatchItemFailures: true,
      maxConcurrency: settings.maxConcurrency,
    }),
  );
  acknowledgeQueueConsumer(fn, queue);
};

/**
 * A function consuming `queue` through an SQS event source: Lambda offers such a mapping no
 * on-failure destination, and the function is never invoked asynchronously, so neither it nor its
 * mapping can have a dead-letter target. A message that keeps failing goes to the queue's own
 * dead-letter queue (its redrive policy) instead.
 */
const acknowledgeQueueConsumer = (fn: NodejsFunction, queue: sqs.Queue): void => {
  const deadLetters = queue.deadLetterQueue;
  if (deadLetters === undefined) throw new Error(`${queue.node.path} has no dead-letter queue`);
  const reason =
    `${fn.node.id} is invoked only by its SQS event source: a message that fails ` +
    `${deadLetters.maxReceiveCount} times moves to ${deadLetters.queue.node.id}, the queue's redrive target.`;
  Validations.of(fn).acknowledge(
    { id: 'Serverless-LambdaDLQ', reason },
    { id: 'Serverless-LambdaEventSourceMappingDestination', reason },
  );
};

/**
 * A function invoked asynchronously whose failed invocations go to `deadLetters` through an
 * on-failure destination (configureAsyncInvoke), which Lambda recommends over a dead-letter
 * target: the message carries the error and the request besides the event.
 */
export const acknowledgeFailureDestination = (fn: NodejsFunction, deadLetters: sqs.Queue): void => {
  Validations.of(fn).acknowledge({
    id: 'Serverless-LambdaDLQ',
    reason: `${fn.node.id}'s failed asynchronous invocations go to its on-failure destination, ${deadLetters.node.id}.`,
  });
};
