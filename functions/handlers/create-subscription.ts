import { randomUUID } from 'node:crypto';
import type { SecretSealer } from '../crypto/secret-box.js';
import { secretBoxFromEnv } from '../crypto/secret-box-from-env.js';
import type { StoredSubscription } from '../domain/subscription.js';
import { EVENT_ENV } from '../events/plumbing.js';
import { callerFromEvent } from '../http/caller.js';
import { httpHandler, lazyHandler, readJsonBody } from '../http/middleware.js';
import { jsonResponse } from '../http/responses.js';
import { parseWith } from '../schemas/common.js';
import { subscriptionBody } from '../schemas/subscriptions.js';
import {
  defaultSubscriptionDependencies,
  type SubscriptionDependencies,
} from '../services/subscription-dependencies.js';
import { SubscriptionRepository, withoutSecret } from '../storage/subscription-repository.js';
import { resolveAndCheck, validateWebhookUrl } from '../webhooks/address-policy.js';
import { generateSecret } from '../webhooks/signature.js';

export interface CreateSubscriptionDependencies extends SubscriptionDependencies {
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
  return httpHandler(async ({ event }) => {
    const caller = callerFromEvent(event);
    const body = parseWith(subscriptionBody, readJsonBody(event), 'subscription');
    const url = validateWebhookUrl(body.url, {
      allowLocalhost: deps.allowLocalhost,
      allowedPorts: deps.allowedWebhookPorts,
    });
    await resolveAndCheck(url.hostname, {
      allowLocalhost: deps.allowLocalhost,
      ...(deps.lookup ? { lookup: deps.lookup } : {}),
    });
    const now = deps.now().toISOString();
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
    await subscriptions.create(subscription, deps.maxSubscriptionsPerOffice);
    return jsonResponse(
      201,
      { ...withoutSecret(subscription), secret },
      { location: `/subscriptions/${subscription.id}`, 'cache-control': 'no-store' },
    );
  });
};

export const handler = lazyHandler(() =>
  createCreateSubscriptionHandler({
    ...defaultSubscriptionDependencies(),
    maxSubscriptionsPerOffice: maxSubscriptionsFromEnv(),
    sealer: secretBoxFromEnv(),
  }),
);
