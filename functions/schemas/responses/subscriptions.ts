/**
 * What the subscription routes answer: subscriptions, their secrets, deliveries and replays.
 * Component examples: examples.ts.
 */
import * as z from 'zod/mini';
import { REPLAY_STATES } from '../../domain/replay.js';
import { DELIVERY_STATUSES, SUBSCRIPTION_STATUSES } from '../../domain/subscription.js';
import { ALL_DETAIL_TYPES } from '../../events/catalogue.js';
import { province } from '../common.js';
import { actor, timestamp } from './common.js';

const subscriptionFields = {
  id: z.string().check(z.meta({ format: 'uuid' })),
  owner: actor,
  url: z
    .string()
    .check(z.meta({ format: 'uri', description: 'Where deliveries are POSTed (Standard Webhooks)' })),
  eventTypes: z.array(z.enum(ALL_DETAIL_TYPES)).check(z.describe('Empty: every type')),
  projectIds: z.array(z.string()).check(z.describe('Empty: every project')),
  provinces: z.array(province).check(z.describe('Empty: every province')),
  description: z.nullable(z.string()),
  status: z.enum(SUBSCRIPTION_STATUSES),
  disabledReason: z
    .nullable(z.string())
    .check(z.describe('Why deliveries stopped, e.g. the subscriber answered 410 Gone')),
  createdAt: timestamp('When it was created', '2024-06-01T02:00:00.000Z'),
  updatedAt: timestamp('When it last changed', '2024-06-01T02:00:00.000Z'),
};

export const subscriptionSchema = z.object(subscriptionFields).check(
  z.meta({
    id: 'Subscription',
    description: 'A webhook subscription, without its signing secret.',
  }),
);

const webhookSecret = z.string().check(z.regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/));

export const createdSubscriptionSchema = z
  .object({
    ...subscriptionFields,
    // Optional only for a repeated request: the secret is sealed once stored, and no route may
    // open it again.
    secret: z
      .optional(webhookSecret)
      .check(
        z.describe(
          'The Standard Webhooks signing secret: HMAC-SHA256 keyed with the base64-decoded part after `whsec_`. Shown only in the first answer: a repeat under the same `Idempotency-Key` (`Idempotent-Replayed: true`) answers without it.',
        ),
      ),
  })
  .check(
    z.meta({
      id: 'CreatedSubscription',
      description: 'A subscription just created, with its signing secret (shown only here: keep it).',
    }),
  );

export const rotatedSecretSchema = z
  .object({
    subscriptionId: z.string().check(z.meta({ format: 'uuid' })),
    secret: webhookSecret.check(
      z.describe(
        'The new Standard Webhooks signing secret. Shown only in this response: keep it, and verify with either secret until `previousSecretExpiresAt`.',
      ),
    ),
    previousSecretExpiresAt: timestamp(
      'Until when deliveries also carry a signature made with the secret this one replaced',
      '2024-06-02T02:00:00.000Z',
    ),
  })
  .check(
    z.meta({
      id: 'RotatedSecret',
      description: 'A signing secret just rotated in (shown only here: keep it).',
    }),
  );

export const subscriptionListSchema = z.object({ subscriptions: z.array(subscriptionSchema) }).check(
  z.meta({
    id: 'SubscriptionList',
    description: "The caller's subscriptions (the coordinator's: all of them).",
  }),
);

export const deliverySchema = z
  .object({
    eventId: z
      .string()
      .check(z.meta({ format: 'uuid', description: 'Also the `webhook-id` header of every attempt' })),
    eventType: z.string().check(z.meta({ description: 'The detail-type', example: 'MilestoneRecorded' })),
    occurredAt: timestamp('When the event was committed'),
    correlationId: z
      .nullable(z.string())
      .check(
        z.describe(
          "The event's correlation id: the X-Correlation-Id of the report that caused it (or the watchdog run's id), also in every log line of its attempts; null for events older than it",
        ),
      ),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().check(z.int(), z.gte(0)),
    lastStatus: z.nullable(z.number().check(z.int())).check(z.describe("The subscriber's last HTTP status")),
    lastError: z.nullable(z.string()),
    nextRetryAt: z.nullable(z.string()).check(z.meta({ format: 'date-time' })),
    updatedAt: timestamp('When this record last changed'),
  })
  .check(z.meta({ id: 'Delivery', description: 'The delivery of one event to one subscription.' }));

export const deliveryListSchema = z
  .object({
    subscriptionId: z.string(),
    deliveries: z.array(deliverySchema).check(z.describe('Most recent event first; kept for 30 days')),
  })
  .check(z.meta({ id: 'DeliveryList', description: 'Recent delivery attempts of one subscription.' }));

const count = (description: string) => z.number().check(z.int(), z.gte(0), z.describe(description));

export const replaySchema = z
  .object({
    id: z.string().check(z.meta({ format: 'uuid' })),
    subscriptionId: z.string(),
    since: z.string().check(z.meta({ format: 'date-time', description: 'As sent' })),
    until: timestamp('When it was requested: later events reach the subscription the usual way'),
    state: z
      .enum(REPLAY_STATES)
      .check(
        z.describe('`queued`, then `running` while pages of the event log are read, then `done` or `failed`'),
      ),
    counts: z
      .object({
        matched: count("Logged events read so far that match the subscription's filters"),
        queued: count('Deliveries queued'),
        skippedAlreadyPending: count(
          'Events whose delivery was already queued or being sent: not sent twice',
        ),
        stuckRequeued: count(
          'Deliveries queued or sending past their lease (lost by the queue without a record) and queued again',
        ),
      })
      .check(z.describe('matched = queued + skippedAlreadyPending + stuckRequeued')),
    pages: count('Pages of the event log read so far'),
    createdAt: timestamp('When it was requested'),
    updatedAt: timestamp('When it last changed'),
    error: z.nullable(z.string()).check(z.describe('Why it failed; null otherwise')),
  })
  .check(
    z.meta({ id: 'Replay', description: "A replay of a subscription's logged events, and how far it got." }),
  );
