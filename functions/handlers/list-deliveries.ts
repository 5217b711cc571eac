import { callerFromEvent } from '../http/caller.js';
import { httpHandler, lazyHandler } from '../http/middleware.js';
import { queryFrom } from '../http/request.js';
import { jsonResponse } from '../http/responses.js';
import { subscriptionFromPath } from '../http/subscription-request.js';
import { deliveriesQuery } from '../schemas/compiled/subscriptions.js';
import { type Dependencies, defaultDependencies } from '../services/dependencies.js';
import { SubscriptionRepository } from '../storage/subscription-repository.js';
import { parseWith } from '../validation/parse-with.js';

/** GET /subscriptions/{subscriptionId}/deliveries: recent attempts, newest event first. */
export const createListDeliveriesHandler = (deps: Dependencies) => {
  const subscriptions = new SubscriptionRepository(deps);
  return httpHandler(async ({ event }) => {
    const caller = callerFromEvent(event);
    const { id } = await subscriptionFromPath(event, caller, subscriptions);
    const { limit } = parseWith(deliveriesQuery, queryFrom(event), 'query');
    const deliveries = await subscriptions.listDeliveries(id, limit ?? 50);
    return jsonResponse(200, {
      subscriptionId: id,
      deliveries: deliveries.map(({ subscriptionId: _id, enqueuedAt: _queued, ...delivery }) => delivery),
    });
  });
};

export const handler = lazyHandler(() => createListDeliveriesHandler(defaultDependencies()));
