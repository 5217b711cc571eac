import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** How long failed stream batches, unroutable events and undeliverable webhooks wait for a look. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/** A queue that holds what could not be handled, encrypted, reachable over TLS only. */
export const createDeadLetterQueue = (scope: Construct, id: string): sqs.Queue =>
  new sqs.Queue(scope, id, {
    retentionPeriod: DEAD_LETTER_RETENTION,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });

export interface WorkQueueSettings {
  visibilityTimeoutSeconds: number;
  retentionDays: number;
  /** Receives before a message goes to the dead-letter queue. */
  maxReceiveCount: number;
}

/**
 * A queue a function consumes, with its dead-letter queue: same encryption and TLS rule as the
 * dead letters. `consumerTimeout` is the consumer's timeout: a visibility timeout shorter than it
 * would let a message be received twice while it is still being handled.
 */
export const createWorkQueue = (
  scope: Construct,
  ids: { queue: string; deadLetters: string },
  settings: WorkQueueSettings,
  consumerTimeout: Duration,
): { queue: sqs.Queue; deadLetterQueue: sqs.Queue } => {
  if (settings.visibilityTimeoutSeconds < consumerTimeout.toSeconds()) {
    throw new Error(
      `Queue ${ids.queue}: its visibility timeout (${settings.visibilityTimeoutSeconds} s) is shorter than ` +
        `its consumer's timeout (${consumerTimeout.toSeconds()} s): messages would be received twice`,
    );
  }
  const deadLetterQueue = createDeadLetterQueue(scope, ids.deadLetters);
  const queue = new sqs.Queue(scope, ids.queue, {
    visibilityTimeout: Duration.seconds(settings.visibilityTimeoutSeconds),
    retentionPeriod: Duration.days(settings.retentionDays),
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: settings.maxReceiveCount },
  });
  return { queue, deadLetterQueue };
};
