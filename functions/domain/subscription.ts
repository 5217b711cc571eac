import type { Caller } from './caller.js';
import { isCoordinator } from './caller.js';
import { NotFoundError } from './errors.js';
import type { Province, Role } from './provinces.js';

/** What a subscription id may look like in a path: ids are UUIDs, but the check is only a sanity bound. */
export const SUBSCRIPTION_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

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

/**
 * A signing secret as stored: encrypted under a data key of its own (AES-256-GCM), with that
 * data key wrapped by the secrets key (KMS in AWS, a key file locally). All fields are base64
 * but `keyId`, which names the wrapping key.
 */
export interface SealedSecret {
  ciphertext: string;
  iv: string;
  tag: string;
  encryptedKey: string;
  keyId: string;
}

/** Sealed; or, for a subscription made before secrets were sealed, the plain `whsec_` text. */
export type StoredSecret = SealedSecret | string;

/** After a rotation the previous secret still signs for a day, so receivers can switch over. */
export const SECRET_ROTATION_OVERLAP_SECONDS = 24 * 60 * 60;

/** The secret never leaves storage except in the response that creates or rotates it. */
export interface StoredSubscription extends Subscription {
  secret: StoredSecret;
  /** The secret the last rotation replaced: it signs too until `previousSecretExpiresAt`. */
  previousSecret?: StoredSecret | undefined;
  previousSecretExpiresAt?: string | undefined;
}

/** The secrets a delivery is signed with at `now`: the current one, and the previous one until it expires. */
export const signingSecrets = (subscription: StoredSubscription, now: Date): StoredSecret[] =>
  subscription.previousSecret !== undefined &&
  subscription.previousSecretExpiresAt !== undefined &&
  new Date(subscription.previousSecretExpiresAt).getTime() > now.getTime()
    ? [subscription.secret, subscription.previousSecret]
    : [subscription.secret];

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
export const requireSubscriptionAccess = <S extends Subscription>(
  caller: Caller,
  subscription: S | null,
  id: string,
): S => {
  if (!subscription) throw new NotFoundError(`There is no subscription ${id}.`);
  if (!isCoordinator(caller) && subscription.owner.subject !== caller.subject) {
    throw new NotFoundError(`There is no subscription ${id}.`);
  }
  return subscription;
};
