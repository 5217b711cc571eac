import type { SecretOpener } from '../crypto/secret-box.js';
import { type StoredSubscription, signingSecrets } from '../domain/subscription.js';

/**
 * The plain secrets a delivery is signed with at `now`, current first: each sealed one opened
 * under its subscription's id. A plain-text secret (stored before secrets were sealed) is used as
 * it is; the next rotation seals it.
 */
export const openSigningSecrets = (
  subscription: StoredSubscription,
  opener: SecretOpener,
  now: Date,
): Promise<string[]> =>
  Promise.all(
    signingSecrets(subscription, now).map((secret) =>
      typeof secret === 'string' ? secret : opener.open(secret, { subscriptionId: subscription.id }),
    ),
  );
