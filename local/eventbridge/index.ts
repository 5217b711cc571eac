export { entrySize, MAX_ENTRY_BYTES, toEnvelope } from './envelope.js';
export { startLocalEventBus } from './local-event-bus.js';
export { MAX_ENTRIES_PER_REQUEST } from './put-events.js';
export type {
  DeliveryContext,
  EventEnvelope,
  LocalEventBus,
  LocalEventBusOptions,
  LocalRule,
  LocalTarget,
  PutEventsEntry,
  RetryPolicy,
} from './types.js';
