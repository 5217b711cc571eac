/** The subscription routes of the API description: webhooks, their deliveries, replays. */
import * as z from 'zod/mini';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { REPLAY, SUBSCRIPTION } from '../../schemas/responses/examples.js';
import {
  createdSubscriptionSchema,
  deliveryListSchema,
  replaySchema,
  rotatedSecretSchema,
  subscriptionListSchema,
} from '../../schemas/responses/subscriptions.js';
import { deliveriesQuery, replayBody, subscriptionBody } from '../../schemas/subscriptions.js';
import { IDEMPOTENCY_KEY_PATTERN } from '../request.js';
import { describeQuery, pathParameter } from './parameters.js';
import {
  CALLER_UNAUTHENTICATED,
  errorsAt,
  forbiddenRoleResponse,
  invalid,
  problemExample,
  problemResponse,
} from './problems.js';
import { JSON_MEDIA_TYPE, type RouteSchema } from './types.js';

const SUBSCRIPTION_EXAMPLE_ID = SUBSCRIPTION.id;

const subscriptionIdPath = z.object({
  subscriptionId: pathParameter('subscriptionId', {
    description: 'The subscription id returned when it was created',
    example: '0b6c1f1e-2f0e-4d55-9a55-3f7b2c1d9e01',
  }),
});

const unknownSubscription = (instance: string) =>
  problemResponse(
    "`not-found`: there is no such subscription, or it belongs to another office (offices learn nothing of each other's subscriptions).",
    {
      unknownSubscription: problemExample(
        'An unknown subscription',
        new NotFoundError(`There is no subscription ${SUBSCRIPTION_EXAMPLE_ID}.`),
        instance,
      ),
    },
  );

const subscriptionPathInvalid = (instance: string) =>
  problemExample(
    'A malformed subscription id',
    invalid('The path is not valid.', [{ field: 'subscriptionId', message: 'must be a subscription id' }]),
    instance,
  );

/** The optional Idempotency-Key of the subscription routes that create something. */
const idempotencyKeyHeader = (what: string) => ({
  name: 'Idempotency-Key',
  required: false,
  description: `1 to 255 visible ASCII characters (a UUID is ideal). A retry with the same key and body within 24 hours gets the first answer again (\`Idempotent-Replayed: true\`) and ${what}. Keys belong to the caller's office; the same key with a different request is refused (\`409 idempotency-key-reused\`).`,
  schema: z.string().check(z.regex(IDEMPOTENCY_KEY_PATTERN)),
  example: '7f9e8c1a-6b2d-4e3f-a1c5-9d8b7e6f5a4c',
});

const keyReused = (instance: string, what: string) =>
  problemExample(
    'The key of another request',
    new ConflictError(
      'idempotency-key-reused',
      `This Idempotency-Key was already used for a different request; use a new key for a new ${what}.`,
    ),
    instance,
  );

const replayPath = z.object({
  ...subscriptionIdPath.shape,
  replayId: pathParameter('replayId', {
    description: 'The replay id returned when it was requested',
    example: REPLAY.id,
  }),
});

const subscriptions = errorsAt('/subscriptions');
const subscription = errorsAt(`/subscriptions/${SUBSCRIPTION_EXAMPLE_ID}`);
const deliveries = errorsAt(`/subscriptions/${SUBSCRIPTION_EXAMPLE_ID}/deliveries`);
const replay = errorsAt(`/subscriptions/${SUBSCRIPTION_EXAMPLE_ID}/replay`);
const rotate = errorsAt(`/subscriptions/${SUBSCRIPTION_EXAMPLE_ID}/rotate-secret`);
const replayResource = `/subscriptions/${SUBSCRIPTION_EXAMPLE_ID}/replays/${REPLAY.id}`;
const replays = errorsAt(replayResource);

export const SUBSCRIPTION_ROUTES: Readonly<Record<string, RouteSchema>> = {
  createSubscription: {
    tag: 'Subscriptions',
    description:
      'Any office subscribes a webhook to events (empty filter lists mean "all"). In AWS the URL must be `https` and resolve only to public addresses, checked now and again at every delivery; the local stage also allows `http://localhost`. The signing secret is shown only in this response (and in its repetition under the same `Idempotency-Key`).',
    headers: [idempotencyKeyHeader('no second subscription is made')],
    body: {
      description: 'Where to deliver and which events.',
      schema: subscriptionBody,
      examples: {
        jiangsu: {
          summary: "Jiangsu's development and reform commission, rail milestones and thresholds",
          value: {
            url: 'https://hooks.example.gov.cn/livelihood',
            eventTypes: ['MilestoneRecorded', 'ProgressThresholdReached'],
            projectIds: ['rail-2024'],
            provinces: [],
            description: '江苏省发改委',
          },
        },
        everything: {
          summary: 'Every event of every project',
          value: { url: 'https://hooks.example.gov.cn/all' },
        },
      },
    },
    responses: {
      201: {
        description: 'Subscribed. Keep the `secret`: it is not shown again.',
        content: { [JSON_MEDIA_TYPE]: { schema: createdSubscriptionSchema } },
        headers: ['Location', 'Idempotent-Replayed'],
      },
      400: problemResponse(
        '`validation-failed`: malformed JSON, an unknown event type, a repeated filter value, a description or URL holding a control, bidirectional formatting or lone surrogate character, or a webhook URL that is not allowed (not https, or a host that is or resolves to a private, loopback, link-local or reserved address).',
        {
          url: problemExample(
            'Plain http',
            invalid('The webhook URL is not allowed: it must use https', [
              { field: 'url', message: 'it must use https' },
            ]),
            '/subscriptions',
          ),
          privateAddress: problemExample(
            'A private address',
            invalid(
              'The webhook URL is not allowed: its host is a private, loopback or reserved IP address',
              [{ field: 'url', message: 'its host is a private, loopback or reserved IP address' }],
            ),
            '/subscriptions',
          ),
          malformedJson: subscriptions.malformedJson,
        },
      ),
      401: subscriptions.unauthenticated(CALLER_UNAUTHENTICATED),
      403: forbiddenRoleResponse(subscriptions),
      409: problemResponse(
        "`subscription-limit-reached`: the caller's office (the coordinator is one office too) already has the stage's maximum of subscriptions that are not deleted (25); delete one first. `idempotency-key-reused`: the `Idempotency-Key` was used for a different request, or for a subscription since deleted.",
        {
          keyReused: keyReused('/subscriptions', 'subscription'),
          limitReached: problemExample(
            'An office with 25 subscriptions',
            new ConflictError(
              'subscription-limit-reached',
              'The jiangsu office already has 25 subscriptions; delete one before adding another.',
            ),
            '/subscriptions',
          ),
        },
      ),
      413: subscriptions.tooLarge,
      415: subscriptions.unsupported,
      503: subscriptions.unavailable,
      500: subscriptions.internal,
    },
  },

  listSubscriptions: {
    tag: 'Subscriptions',
    description: "The caller's subscriptions (the coordinator's: every office's), never their secrets.",
    responses: {
      200: {
        description: 'The subscriptions that have not been deleted.',
        content: { [JSON_MEDIA_TYPE]: { schema: subscriptionListSchema } },
      },
      401: subscriptions.unauthenticated(CALLER_UNAUTHENTICATED),
      403: forbiddenRoleResponse(subscriptions),
      503: subscriptions.unavailable,
      500: subscriptions.internal,
    },
  },

  deleteSubscription: {
    tag: 'Subscriptions',
    description:
      'Stops a subscription (its owner or the coordinator). Nothing more is delivered; the record is kept, marked deleted, for the audit trail.',
    pathParams: subscriptionIdPath,
    responses: {
      204: { description: 'Stopped.' },
      400: problemResponse('`validation-failed`: the subscription id is malformed.', {
        badId: subscriptionPathInvalid('/subscriptions/x'),
      }),
      401: subscription.unauthenticated(CALLER_UNAUTHENTICATED),
      403: forbiddenRoleResponse(subscription),
      404: unknownSubscription(`/subscriptions/${SUBSCRIPTION_EXAMPLE_ID}`),
      503: subscription.unavailable,
      500: subscription.internal,
    },
  },

  rotateSubscriptionSecret: {
    tag: 'Subscriptions',
    description:
      'Replaces the signing secret (its owner or the coordinator) and shows the new one, only in this response. For 24 hours every delivery carries two signatures in `webhook-signature`, one made with each secret, so a receiver verifies with either while it switches over; then only the new secret signs. Rotating again within the 24 hours ends the oldest secret at once.',
    pathParams: subscriptionIdPath,
    responses: {
      200: {
        description: 'Rotated. Keep the `secret`: it is not shown again.',
        content: { [JSON_MEDIA_TYPE]: { schema: rotatedSecretSchema } },
      },
      400: problemResponse('`validation-failed`: the subscription id is malformed.', {
        badId: subscriptionPathInvalid('/subscriptions/x/rotate-secret'),
      }),
      401: rotate.unauthenticated(CALLER_UNAUTHENTICATED),
      403: forbiddenRoleResponse(rotate),
      404: unknownSubscription(`/subscriptions/${SUBSCRIPTION_EXAMPLE_ID}/rotate-secret`),
      409: problemResponse(
        '`concurrent-modification`: another rotation of the same subscription happened at the same moment; rotate again after `Retry-After`.',
        {
          concurrentRotation: problemExample(
            'Two rotations at once',
            new ConflictError(
              'concurrent-modification',
              "The subscription's secret was rotated by another request at the same time; rotate again.",
            ),
            `/subscriptions/${SUBSCRIPTION_EXAMPLE_ID}/rotate-secret`,
          ),
        },
        ['Retry-After'],
      ),
      503: rotate.unavailable,
      500: rotate.internal,
    },
  },

  listDeliveries: {
    tag: 'Subscriptions',
    description:
      "A subscription's recent deliveries (its owner or the coordinator), most recent event first: status, attempts, the subscriber's last HTTP status and error, the next retry. Kept for 30 days.",
    pathParams: subscriptionIdPath,
    query: describeQuery(deliveriesQuery, { limit: 'How many, 1–100 (default 50)' }),
    responses: {
      200: {
        description: 'The deliveries.',
        content: { [JSON_MEDIA_TYPE]: { schema: deliveryListSchema } },
      },
      400: problemResponse(
        '`validation-failed`: a malformed subscription id, a limit out of range, or an unknown query parameter.',
        {
          limit: problemExample(
            'A limit out of range',
            invalid('The query is not valid.', [
              { field: 'limit', message: 'Too big: expected number to be <=100' },
            ]),
            `/subscriptions/${SUBSCRIPTION_EXAMPLE_ID}/deliveries`,
          ),
          badId: subscriptionPathInvalid('/subscriptions/x/deliveries'),
        },
      ),
      401: deliveries.unauthenticated(CALLER_UNAUTHENTICATED),
      403: forbiddenRoleResponse(deliveries),
      404: unknownSubscription(`/subscriptions/${SUBSCRIPTION_EXAMPLE_ID}/deliveries`),
      503: deliveries.unavailable,
      500: deliveries.internal,
    },
  },

  replaySubscription: {
    tag: 'Subscriptions',
    description:
      "Re-delivers the subscription's events since a time (its owner or the coordinator), from the event log (90 days). Answers at once with the replay, which then reads the log a page at a time: follow `Location` to see its state and counts. Each event keeps its `webhook-id`, so a subscriber that already has it can tell; an event whose delivery is already queued or being sent is not sent again, and one stuck in either state past its lease (lost by the queue) is queued again.",
    pathParams: subscriptionIdPath,
    headers: [idempotencyKeyHeader('no second replay is started')],
    body: {
      description: 'Where to start.',
      schema: replayBody,
      examples: {
        june: { summary: 'Everything since 1 June 2024', value: { since: '2024-06-01T00:00:00Z' } },
      },
    },
    responses: {
      202: {
        description: 'Accepted: the replay, `queued`; `Location` is where it shows how far it got.',
        content: { [JSON_MEDIA_TYPE]: { schema: replaySchema } },
        headers: ['Location', 'Idempotent-Replayed'],
      },
      400: problemResponse(
        '`validation-failed`: a malformed subscription id, JSON or `Idempotency-Key`, or `since` is not an ISO 8601 date-time.',
        {
          since: problemExample(
            'A since that is not a date-time',
            invalid('The replay request is not valid.', [
              { field: 'since', message: 'must be an ISO 8601 date-time, e.g. 2024-06-30T00:00:00Z' },
            ]),
            `/subscriptions/${SUBSCRIPTION_EXAMPLE_ID}/replay`,
          ),
          badId: subscriptionPathInvalid('/subscriptions/x/replay'),
          malformedJson: replay.malformedJson,
        },
      ),
      401: replay.unauthenticated(CALLER_UNAUTHENTICATED),
      403: forbiddenRoleResponse(replay),
      404: unknownSubscription(`/subscriptions/${SUBSCRIPTION_EXAMPLE_ID}/replay`),
      409: problemResponse(
        '`idempotency-key-reused`: the `Idempotency-Key` was used for a different request.',
        {
          keyReused: keyReused(`/subscriptions/${SUBSCRIPTION_EXAMPLE_ID}/replay`, 'replay'),
        },
      ),
      413: replay.tooLarge,
      415: replay.unsupported,
      503: replay.unavailable,
      500: replay.internal,
    },
  },

  getReplay: {
    tag: 'Subscriptions',
    description:
      "Where a replay stands (the subscription's owner or the coordinator): `queued`, `running`, `done` or `failed` (with `error`), and its counts so far. Kept for 30 days.",
    pathParams: replayPath,
    responses: {
      200: {
        description: 'The replay.',
        content: { [JSON_MEDIA_TYPE]: { schema: replaySchema } },
      },
      400: problemResponse('`validation-failed`: a malformed subscription or replay id.', {
        badId: problemExample(
          'A malformed replay id',
          invalid('The path is not valid.', [{ field: 'replayId', message: 'must be a replay id' }]),
          `/subscriptions/${SUBSCRIPTION_EXAMPLE_ID}/replays/x`,
        ),
      }),
      401: replays.unauthenticated(CALLER_UNAUTHENTICATED),
      403: forbiddenRoleResponse(replays),
      404: problemResponse(
        '`not-found`: there is no such subscription or replay, or the subscription belongs to another office.',
        {
          unknownReplay: problemExample(
            'An unknown replay',
            new NotFoundError(`There is no replay ${REPLAY.id} of subscription ${SUBSCRIPTION_EXAMPLE_ID}.`),
            replayResource,
          ),
        },
      ),
      503: replays.unavailable,
      500: replays.internal,
    },
  },
};
