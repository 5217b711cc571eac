import { EVENT_ENV } from '../events/plumbing.js';
import type { Resolver } from '../webhooks/address-policy.js';
import { allowedWebhookPortsFromEnv } from '../webhooks/address-policy.js';

/** What a route that accepts a webhook URL needs to check it against the address policy. */
export interface WebhookUrlDependencies {
  /** The local stage only: webhooks to http://localhost are allowed. */
  allowLocalhost: boolean;
  /** Ports besides 443 and 80 a webhook URL may name outside the local stage. */
  allowedWebhookPorts?: readonly number[];
  /** Resolves webhook host names (default: the system resolver). */
  lookup?: Resolver;
}

/** The address policy as CDK (or the local runtime) set it in the environment. */
export const webhookUrlDependenciesFromEnv = (): WebhookUrlDependencies => ({
  allowLocalhost: process.env[EVENT_ENV.allowLocalWebhooks] === 'true',
  allowedWebhookPorts: allowedWebhookPortsFromEnv(),
});
