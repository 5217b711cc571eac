import { callerFromEvent } from '../http/caller.js';
import { httpHandler, lazyHandler } from '../http/middleware.js';
import { subscriptionFromPath } from '../http/subscription-request.js';
import { type Dependencies, defaultDependencies } from '../services/dependencies.js';
import { SubscriptionRepository } from '../storage/subscription-repository.js';

/** DELETE /subscriptions/{subscriptionId}: no further deliveries; the record is kept, marked deleted, for the audit trail. */
export const createDeleteSubscriptionHandler = (deps: Dependencies) => {
  const subscriptions = new SubscriptionRepository(deps);
  return httpHandler(async ({ event }) => {
    const caller = callerFromEvent(event);
    const { subscription } = await subscriptionFromPath(event, caller, subscriptions);
    await subscriptions.delete(subscription, `deleted by ${caller.username}`, deps.now());
    return { statusCode: 204, headers: {}, body: '' };
  });
};

export const handler = lazyHandler(() => createDeleteSubscriptionHandler(defaultDependencies()));
