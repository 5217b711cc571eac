import { EVENT_ENV } from '../functions/events/plumbing.js';
import type { StageConfig } from './stage-config.js';

/**
 * What the webhook address policy reads, from the stage config: the route that checks a URL when
 * it is subscribed and the deliverer that checks it again at every send must agree.
 */
export const webhookPolicyEnvironment = (config: StageConfig): Record<string, string> => ({
  [EVENT_ENV.allowLocalWebhooks]: String(config.allowLocalWebhooks),
  [EVENT_ENV.allowedWebhookPorts]: config.allowedWebhookPorts.join(','),
});
