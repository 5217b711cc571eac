import { SQSClient } from '@aws-sdk/client-sqs';
import { EVENT_ENV } from '../events/plumbing.js';
import type { Resolver } from '../webhooks/address-policy.js';
import { allowedWebhookPortsFromEnv } from '../webhooks/address-policy.js';
import { type Dependencies, defaultDependencies } from './dependencies.js';

/** What the subscription routes need besides the table. */
export interface SubscriptionDependencies extends Dependencies {
  sqs: SQSClient;
  deliveryQueueUrl: string;
  /** Where a replay's page messages go (the replay route queues the first). */
  replayQueueUrl: string;
  /** The local stage only: webhooks to http://localhost are allowed. */
  allowLocalhost: boolean;
  /** Ports besides 443 and 80 a webhook URL may name outside the local stage. */
  allowedWebhookPorts?: readonly number[];
  /** Resolves webhook host names (default: the system resolver). */
  lookup?: Resolver;
}

let defaults: SubscriptionDependencies | undefined;

export const defaultSubscriptionDependencies = (): SubscriptionDependencies => {
  defaults ??= {
    ...defaultDependencies(),
    sqs: new SQSClient({}),
    deliveryQueueUrl: process.env[EVENT_ENV.deliveryQueueUrl] ?? '',
    replayQueueUrl: process.env[EVENT_ENV.replayQueueUrl] ?? '',
    allowLocalhost: process.env[EVENT_ENV.allowLocalWebhooks] === 'true',
    allowedWebhookPorts: allowedWebhookPortsFromEnv(),
  };
  return defaults;
};
