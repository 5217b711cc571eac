import { z } from 'zod';
import type { Caller } from '../domain/caller.js';
import { requireSubscriptionAccess } from '../domain/subscription.js';
import { parseWith } from '../schemas/common.js';
import { subscriptionIdParam } from '../schemas/subscriptions.js';
import type { SubscriptionRepository } from '../storage/subscription-repository.js';
import type { HttpEvent } from './types.js';

/** The `{subscriptionId}` of the path, loaded and checked: the owner or the coordinator only. */
export const subscriptionFromPath = async (
  event: HttpEvent,
  caller: Caller,
  subscriptions: SubscriptionRepository,
) => {
  const { subscriptionId: id } = parseWith(
    z.object({ subscriptionId: subscriptionIdParam }),
    { subscriptionId: event.pathParameters?.subscriptionId },
    'path',
  );
  return { id, subscription: requireSubscriptionAccess(caller, await subscriptions.get(id), id) };
};
