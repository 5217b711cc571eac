import type { SecretSealer } from '../crypto/secret-box.js';
import { secretBoxFromEnv } from '../crypto/secret-box-from-env.js';
import { SECRET_ROTATION_OVERLAP_SECONDS } from '../domain/subscription.js';
import { callerFromEvent } from '../http/caller.js';
import { httpHandler, lazyHandler } from '../http/middleware.js';
import { jsonResponse } from '../http/responses.js';
import { subscriptionFromPath } from '../http/subscription-request.js';
import { type Dependencies, defaultDependencies } from '../services/dependencies.js';
import { SubscriptionRepository } from '../storage/subscription-repository.js';
import { generateSecret } from '../webhooks/signature.js';

export interface RotateSubscriptionSecretDependencies extends Dependencies {
  /** Seals the new secret (and a plain-text one left from before sealing); it cannot open any. */
  sealer: SecretSealer;
}

/**
 * POST /subscriptions/{subscriptionId}/rotate-secret: a new signing secret, shown only in this
 * response. The one it replaces keeps signing for a day beside it, so the receiver can switch
 * over without refusing a delivery. The old secret is carried over sealed, never opened here.
 */
export const createRotateSubscriptionSecretHandler = (deps: RotateSubscriptionSecretDependencies) => {
  const subscriptions = new SubscriptionRepository(deps);
  return httpHandler(async ({ event }) => {
    const caller = callerFromEvent(event);
    const { subscription } = await subscriptionFromPath(event, caller, subscriptions);
    const now = deps.now();
    const context = { subscriptionId: subscription.id };
    const secret = generateSecret();
    const [sealed, previousSecret] = await Promise.all([
      deps.sealer.seal(secret, context),
      typeof subscription.secret === 'string'
        ? deps.sealer.seal(subscription.secret, context)
        : subscription.secret,
    ]);
    const previousSecretExpiresAt = new Date(
      now.getTime() + SECRET_ROTATION_OVERLAP_SECONDS * 1000,
    ).toISOString();
    await subscriptions.rotateSecret(
      subscription,
      { secret: sealed, previousSecret, previousSecretExpiresAt },
      now,
    );
    return jsonResponse(
      200,
      { subscriptionId: subscription.id, secret, previousSecretExpiresAt },
      { 'cache-control': 'no-store' },
    );
  });
};

export const handler = lazyHandler(() =>
  createRotateSubscriptionSecretHandler({ ...defaultDependencies(), sealer: secretBoxFromEnv() }),
);
