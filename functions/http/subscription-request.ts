import type { Caller } from '../domain/caller.js';
import { requireSubscriptionAccess } from '../domain/subscription.js';
import { subscriptionIdParam } from '../schemas/subscriptions.js';
import type { SubscriptionRepository } from '../storage/subscription-repository.js';
import { pathParameter } from './path-parameter.js';
import type { HttpEvent } from './types.js';

const subscriptionIdFrom = pathParameter('subscriptionId', subscriptionIdParam);

/** The `{subscriptionId}` of the path, loaded and checked: the owner or the coordinator only. */
export const subscriptionFromPath = async (
  event: HttpEvent,
  caller: Caller,
  subscriptions: SubscriptionRepository,
) => {
  const id = subscriptionIdFrom(event);
  return { id, subscription: requireSubscriptionAccess(caller, await subscriptions.get(id), id) };
};
