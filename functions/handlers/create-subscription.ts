import { randomUUID } from 'node:crypto';
import type { StoredSubscription } from '../domain/subscription.js';
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

/**
 * POST /subscriptions: any office subscribes a webhook. The URL must be https and resolve to
 * public addresses (checked now and again at every send); the signing secret is shown only here.
 */
export const createCreateSubscriptionHandler = (deps: SubscriptionDependencies) => {
  const subscriptions = new SubscriptionRepository(deps);
  return httpHandler(async ({ event }) => {
    const caller = callerFromEvent(event);
    const body = parseWith(subscriptionBody, readJsonBody(event), 'subscription');
    const url = validateWebhookUrl(body.url, { allowLocalhost: deps.allowLocalhost });
    await resolveAndCheck(url.hostname, {
      allowLocalhost: deps.allowLocalhost,
      ...(deps.lookup ? { lookup: deps.lookup } : {}),
    });
    const now = deps.now().toISOString();
    const subscription: StoredSubscription = {
      id: randomUUID(),
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
      secret: generateSecret(),
    };
    await subscriptions.create(subscription);
    return jsonResponse(
      201,
      { ...withoutSecret(subscription), secret: subscription.secret },
      { location: `/subscriptions/${subscription.id}`, 'cache-control': 'no-store' },
    );
  });
};

export const handler = lazyHandler(() => createCreateSubscriptionHandler(defaultSubscriptionDependencies()));
