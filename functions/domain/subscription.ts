import type { Caller } from './caller.js';
import { isCoordinator } from './caller.js';
import { NotFoundError } from './errors.js';
import type { Province, Role } from './provinces.js';

export const SUBSCRIPTION_STATUSES = ['active', 'disabled', 'deleted'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** Where the delivery of one event to one subscription stands. */
export const DELIVERY_STATUSES = [
  'queued',
  'sending',
  'delivered',
  'retrying',
  'dead-lettered',
  'dropped',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** An office's standing request to be told about events, by signed webhook. */
export interface Subscription {
  id: string;
  owner: { subject: string; username: string; role: Role };
  url: string;
  /** Empty means every type; likewise for projects and provinces. */
  eventTypes: string[];
  projectIds: string[];
  provinces: Province[];
  description: string | null;
  status: SubscriptionStatus;
  /** Why delivery stopped, e.g. the subscriber answered 410 Gone. */
  disabledReason: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The secret never leaves storage except in the response that creates it. */
export interface StoredSubscription extends Subscription {
  secret: string;
}

/** What an event offers to subscription filters. */
export interface EventFacets {
  detailType: string;
  projectId: string;
  province?: string | undefined;
}

/** A filter list that is empty lets everything through; otherwise the event's value must be listed. */
export const subscriptionMatches = (subscription: Subscription, event: EventFacets): boolean =>
  subscription.status === 'active' &&
  (subscription.eventTypes.length === 0 || subscription.eventTypes.includes(event.detailType)) &&
  (subscription.projectIds.length === 0 || subscription.projectIds.includes(event.projectId)) &&
  (subscription.provinces.length === 0 ||
    (event.province !== undefined && subscription.provinces.includes(event.province as Province)));

/** The owner manages its subscriptions; the coordinator manages all. Others learn nothing of them. */
export const requireSubscriptionAccess = (
  caller: Caller,
  subscription: Subscription | null,
  id: string,
): Subscription => {
  if (!subscription) throw new NotFoundError(`There is no subscription ${id}.`);
  if (!isCoordinator(caller) && subscription.owner.subject !== caller.subject) {
    throw new NotFoundError(`There is no subscription ${id}.`);
  }
  return subscription;
};
