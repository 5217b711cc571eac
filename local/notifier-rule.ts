/**
 * The local bus's notifier rule: the deployed NOTIFIER_RULE's pattern and retry policy, its one
 * target handing each event to `notify` (the notifier, or a test's wrapper of it).
 */
import type { EventBridgeEvent } from 'aws-lambda';
import type { DomainEvent } from '../functions/events/catalogue.js';
import { NOTIFIER_RULE } from '../functions/events/plumbing.js';
import type { EventEnvelope, LocalRule, LocalTarget } from './eventbridge/types.js';

export type ProductEvent = EventBridgeEvent<string, DomainEvent['detail']>;

export const notifierRule = (
  notify: (event: ProductEvent) => Promise<unknown>,
  deadLetter?: LocalTarget['deadLetter'],
): LocalRule => ({
  name: NOTIFIER_RULE.name,
  pattern: NOTIFIER_RULE.pattern,
  targets: [
    {
      id: 'notifier',
      retryPolicy: NOTIFIER_RULE.retryPolicy,
      invoke: async (envelope: EventEnvelope) => {
        // The bus checked the pattern: what reaches here is one of the product's events.
        await notify(envelope as unknown as ProductEvent);
      },
      ...(deadLetter ? { deadLetter } : {}),
    },
  ],
});
