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
