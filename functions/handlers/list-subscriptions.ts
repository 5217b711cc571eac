import { isCoordinator } from '../domain/caller.js';
import { callerFromEvent } from '../http/caller.js';
import { httpHandler, lazyHandler } from '../http/middleware.js';
import { jsonResponse } from '../http/responses.js';
import { type Dependencies, defaultDependencies } from '../services/dependencies.js';
import { SubscriptionRepository, withoutSecret } from '../storage/subscription-repository.js';

/** GET /subscriptions: the caller's own subscriptions (the coordinator sees all), never their secrets. */
export const createListSubscriptionsHandler = (deps: Dependencies) => {
  const subscriptions = new SubscriptionRepository(deps);
  return httpHandler(async ({ event }) => {
    const caller = callerFromEvent(event);
    const all = await subscriptions.list();
    const visible = isCoordinator(caller) ? all : all.filter((s) => s.owner.subject === caller.subject);
    return jsonResponse(200, { subscriptions: visible.map(withoutSecret) });
  });
};

export const handler = lazyHandler(() => createListSubscriptionsHandler(defaultDependencies()));
