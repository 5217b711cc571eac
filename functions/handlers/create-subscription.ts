import { randomUUID } from 'node:crypto';
import type { SecretSealer } from '../crypto/secret-box.js';
import { secretBoxFromEnv } from '../crypto/secret-box-from-env.js';
import type { Caller } from '../domain/caller.js';
import { ConflictError } from '../domain/errors.js';
import type { StoredSubscription, Subscription } from '../domain/subscription.js';
import { EVENT_ENV } from '../events/plumbing.js';
import { callerFromEvent } from '../http/caller.js';
import { httpHandler, lazyHandler, readJsonBody } from '../http/middleware.js';
import { optionalIdempotencyKeyFrom } from '../http/request.js';
import { rawJsonResponse } from '../http/responses.js';
import { subscriptionBody } from '../schemas/compiled/subscriptions.js';
import type { SubscriptionBody } from '../schemas/subscriptions.js';
import { type Dependencies, defaultDependencies } from '../services/dependencies.js';
import { type IdempotentResult, replayedHeader } from '../services/idempotency.js';
import { officeRequest, performIdempotently } from '../services/idempotent-request.js';
import {
  type WebhookUrlDependencies,
  webhookUrlDependenciesFromEnv,
} from '../services/webhook-url-dependencies.js';
import { SubscriptionRepository, withoutSecret } from '../storage/subscription-repository.js';
import { parseWith } from '../validation/parse-with.js';
import { resolveAndCheck, validateWebhookUrl } from '../webhooks/address-policy.js';
import { generateSecret } from '../webhooks/signature.js';

export interface CreateSubscriptionDependencies extends Dependencies, WebhookUrlDependencies {
  /** The stage's maxSubscriptionsPerOffice: a create beyond it is refused with 409. */
  maxSubscriptionsPerOffice: number;
  /** Seals the new signing secret: only this response ever holds it in plain text. */
  sealer: SecretSealer;
}

/** The cap CDK (or the local runtime) set from the stage config; a missing one fails loudly. */
const maxSubscriptionsFromEnv = (): number => {
  const value = Number(process.env[EVENT_ENV.maxSubscriptionsPerOffice]);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`${EVENT_ENV.maxSubscriptionsPerOffice} must be a positive integer`);
  }
  return value;
};

/**
 * POST /subscriptions: any office subscribes a webhook. The URL must be https and resolve to
 * public addresses (checked now and again at every send); the signing secret is shown only here.
 * An office holds at most `maxSubscriptionsPerOffice` subscriptions that are not deleted.
 */
export const createCreateSubscriptionHandler = (deps: CreateSubscriptionDependencies) => {
  const subscriptions = new SubscriptionRepository(deps);

  /**
   * The stored answer of a retry holds no secret, and none can be read again: the subscription
   * keeps it sealed, and only the deliverer may open it. A retry gets the same subscription
   * without its secret; a caller that lost the first answer rotates the secret.
   */
  const stillThere = async (result: IdempotentResult): Promise<void> => {
    if (!result.replayed) return;
    const stored = JSON.parse(result.body) as Subscription;
    if ((await subscriptions.get(stored.id)) === null) {
      throw new ConflictError(
        'idempotency-key-reused',
        'This Idempotency-Key created a subscription that has since been deleted; use a new key to subscribe again.',
      );
    }
  };

  return httpHandler(async ({ event }) => {
    const caller = callerFromEvent(event);
    const body = parseWith(subscriptionBody, readJsonBody(event), 'subscription');
    const request = officeRequest(deps, caller, optionalIdempotencyKeyFrom(event), {
      operation: 'createSubscription',
      request: { body },
      what: 'subscription',
    });
    const { at } = request;
    const result = await performIdempotently(request, async (recordFor) => {
      const { subscription, secret } = await newSubscription(deps, caller, body, at);
      const publicView = withoutSecret(subscription);
      await subscriptions.create(
        subscription,
        deps.maxSubscriptionsPerOffice,
        recordFor(201, JSON.stringify(publicView)),
      );
      return { statusCode: 201, body: JSON.stringify({ ...publicView, secret }) };
    });
    await stillThere(result);
    const { id } = JSON.parse(result.body) as Subscription;
    return rawJsonResponse(result.statusCode, result.body, {
      location: `/subscriptions/${id}`,
      'cache-control': 'no-store',
      ...replayedHeader(result),
    });
  });
};

/** A subscription as the request describes it, once its URL passed the address policy. */
const newSubscription = async (
  deps: CreateSubscriptionDependencies,
  caller: Caller,
  body: SubscriptionBody,
  at: Date,
): Promise<{ subscription: StoredSubscription; secret: string }> => {
  const url = validateWebhookUrl(body.url, {
    allowLocalhost: deps.allowLocalhost,
    allowedPorts: deps.allowedWebhookPorts,
  });
  await resolveAndCheck(url.hostname, {
    allowLocalhost: deps.allowLocalhost,
    ...(deps.lookup ? { lookup: deps.lookup } : {}),
  });
  const now = at.toISOString();
  const id = randomUUID();
  const secret = generateSecret();
  const subscription: StoredSubscription = {
    id,
    owner: { subject: caller.subject, username: caller.username, role: caller.role },
    url: url.toString(),
    eventTypes: body.eventTypes,
    projectIds: body.projectIds,
    provinces: body.provinces,
    description: body.description ?? null,
    status: 'active',
    disabledReason: null,
    createdAt: now,
    updatedAt: now,
    secret: await deps.sealer.seal(secret, { subscriptionId: id }),
  };
  return { subscription, secret };
};

export const handler = lazyHandler(() =>
  createCreateSubscriptionHandler({
    ...defaultDependencies(),
    ...webhookUrlDependenciesFromEnv(),
    maxSubscriptionsPerOffice: maxSubscriptionsFromEnv(),
    sealer: secretBoxFromEnv(),
  }),
);
