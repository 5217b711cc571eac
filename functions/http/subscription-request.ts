import type { Caller } from '../domain/caller.js';
import { requireSubscriptionAccess } from '../domain/subscription.js';
import type { SubscriptionRepository } from '../storage/subscription-repository.js';
import { pathParameterFrom } from './request.js';
import type { HttpEvent } from './types.js';

/** The `{subscriptionId}` of the path, loaded and checked: the owner or the coordinator only. */
export const subscriptionFromPath = async (
  event: HttpEvent,
  caller: Caller,
  subscriptions: SubscriptionRepository,
) => {
  const id = pathParameterFrom(event, 'subscriptionId');
  return { id, subscription: requireSubscriptionAccess(caller, await subscriptions.get(id), id) };
};
