import { SQSClient } from '@aws-sdk/client-sqs';
import { EVENT_ENV } from '../events/plumbing.js';
import type { ReplayQueueDependencies } from './replay-pages.js';

/**
 * The replay queue's client and URL, for the one route that queues a replay's first page. It lives
 * apart from the other routes' dependencies so that only that route's bundle carries the SQS client.
 */
export const replayQueueFromEnv = (): ReplayQueueDependencies => ({
  sqs: new SQSClient({}),
  replayQueueUrl: process.env[EVENT_ENV.replayQueueUrl] ?? '',
});
