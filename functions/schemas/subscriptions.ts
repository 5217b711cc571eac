/**
 * Webhook subscriptions and their deliveries: what the subscription routes take (a subscription,
 * a replay, the deliveries' query) and what they answer. Component examples: examples.ts.
 */
import { z } from 'zod';
import { PROJECT_ID_PATTERN } from '../domain/project.js';
import { REPLAY_STATES } from '../domain/replay.js';
import { DELIVERY_STATUSES, SUBSCRIPTION_STATUSES } from '../domain/subscription.js';
import { ALL_DETAIL_TYPES } from '../events/catalogue.js';
import { actor, printable, province, timestamp } from './common.js';

// ---------------------------------------------------------------------------------------------
// Requests

const uniqueList = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max, `must list at most ${max}`)
    .refine((list) => new Set(list).size === list.length, 'must not repeat a value')
    .default([]);

/** Body of POST /subscriptions. Empty filter lists mean "all". */
export const subscriptionBody = z
  .strictObject({
    url: z.string().min(1, 'is required').max(2048).check(printable('one line')),
    eventTypes: uniqueList(z.enum(ALL_DETAIL_TYPES), ALL_DETAIL_TYPES.length),
    projectIds: uniqueList(z.string().regex(PROJECT_ID_PATTERN, 'must be a project id'), 100),
    provinces: uniqueList(province, 4),
    description: z
      .string()
      .trim()
      .max(200, 'must be at most 200 characters')
      .check(printable('one line'))
      .optional(),
  })
  .meta({ id: 'SubscriptionRequest' });
export type SubscriptionBody = z.output<typeof subscriptionBody>;

/** Body of POST /subscriptions/{subscriptionId}/replay. */
export const replayBody = z
  .strictObject({
    since: z.iso.datetime({
      offset: true,
      error: 'must be an ISO 8601 date-time, e.g. 2024-06-30T00:00:00Z',
    }),
  })
  .meta({ id: 'ReplayRequest' });

export const replayIdParam = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be a replay id');

export const subscriptionIdParam = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be a subscription id');

export const deliveriesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

// ---------------------------------------------------------------------------------------------
// Responses

const subscriptionFields = {
  id: z.string().meta({ format: 'uuid' }),
  owner: actor,
  url: z.string().meta({ format: 'uri', description: 'Where deliveries are POSTed (Standard Webhooks)' }),
  eventTypes: z.array(z.enum(ALL_DETAIL_TYPES)).meta({ description: 'Empty: every type' }),
  projectIds: z.array(z.string()).meta({ description: 'Empty: every project' }),
  provinces: z.array(province).meta({ description: 'Empty: every province' }),
  description: z.string().nullable(),
  status: z.enum(SUBSCRIPTION_STATUSES),
  disabledReason: z
    .string()
    .nullable()
    .meta({ description: 'Why deliveries stopped, e.g. the subscriber answered 410 Gone' }),
  createdAt: timestamp('When it was created', '2024-06-01T02:00:00.000Z'),
  updatedAt: timestamp('When it last changed', '2024-06-01T02:00:00.000Z'),
};

export const subscriptionSchema = z.object(subscriptionFields).meta({
  id: 'Subscription',
  description: 'A webhook subscription, without its signing secret.',
});

const webhookSecret = z.string().regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/);

export const createdSubscriptionSchema = z
  .object({
    ...subscriptionFields,
    // Optional only for a repeated request: the secret is sealed once stored, and no route may
    // open it again.
    secret: webhookSecret.optional().meta({
      description:
        'The Standard Webhooks signing secret: HMAC-SHA256 keyed with the base64-decoded part after `whsec_`. Shown only in the first answer: a repeat under the same `Idempotency-Key` (`Idempotent-Replayed: true`) answers without it.',
    }),
  })
  .meta({
    id: 'CreatedSubscription',
    description: 'A subscription just created, with its signing secret (shown only here: keep it).',
  });

export const rotatedSecretSchema = z
  .object({
    subscriptionId: z.string().meta({ format: 'uuid' }),
    secret: webhookSecret.meta({
      description:
        'The new Standard Webhooks signing secret. Shown only in this response: keep it, and verify with either secret until `previousSecretExpiresAt`.',
    }),
    previousSecretExpiresAt: timestamp(
      'Until when deliveries also carry a signature made with the secret this one replaced',
      '2024-06-02T02:00:00.000Z',
    ),
  })
  .meta({
    id: 'RotatedSecret',
    description: 'A signing secret just rotated in (shown only here: keep it).',
  });

export const subscriptionListSchema = z.object({ subscriptions: z.array(subscriptionSchema) }).meta({
  id: 'SubscriptionList',
  description: "The caller's subscriptions (the coordinator's: all of them).",
});

export const deliverySchema = z
  .object({
    eventId: z
      .string()
      .meta({ format: 'uuid', description: 'Also the `webhook-id` header of every attempt' }),
    eventType: z.string().meta({ description: 'The detail-type', example: 'MilestoneRecorded' }),
    occurredAt: timestamp('When the event was committed'),
    correlationId: z.string().nullable().meta({
      description:
        "The event's correlation id: the X-Correlation-Id of the report that caused it (or the watchdog run's id), also in every log line of its attempts; null for events older than it",
    }),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int().min(0),
    lastStatus: z.number().int().nullable().meta({ description: "The subscriber's last HTTP status" }),
    lastError: z.string().nullable(),
    nextRetryAt: z.string().nullable().meta({ format: 'date-time' }),
    updatedAt: timestamp('When this record last changed'),
  })
  .meta({ id: 'Delivery', description: 'The delivery of one event to one subscription.' });

export const deliveryListSchema = z
  .object({
    subscriptionId: z.string(),
    deliveries: z.array(deliverySchema).meta({ description: 'Most recent event first; kept for 30 days' }),
  })
  .meta({ id: 'DeliveryList', description: 'Recent delivery attempts of one subscription.' });

const count = (description: string) => z.number().int().min(0).meta({ description });

export const replaySchema = z
  .object({
    id: z.string().meta({ format: 'uuid' }),
    subscriptionId: z.string(),
    since: z.string().meta({ format: 'date-time', description: 'As sent' }),
    until: timestamp('When it was requested: later events reach the subscription the usual way'),
    state: z.enum(REPLAY_STATES).meta({
      description: '`queued`, then `running` while pages of the event log are read, then `done` or `failed`',
    }),
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
      .meta({ description: 'matched = queued + skippedAlreadyPending + stuckRequeued' }),
    pages: count('Pages of the event log read so far'),
    createdAt: timestamp('When it was requested'),
    updatedAt: timestamp('When it last changed'),
    error: z.string().nullable().meta({ description: 'Why it failed; null otherwise' }),
  })
  .meta({ id: 'Replay', description: "A replay of a subscription's logged events, and how far it got." });
