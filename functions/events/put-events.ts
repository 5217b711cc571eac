import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { type DomainEvent, EVENT_SOURCE } from './catalogue.js';

/** PutEvents takes at most 10 entries per call and 256 KB per entry. */
export const PUT_EVENTS_MAX_ENTRIES = 10;
export const PUT_EVENTS_MAX_ENTRY_BYTES = 256 * 1024;

/** The entry size as EventBridge counts it (AWS docs: "Calculating PutEvents event entry size"). */
export const entrySize = (entry: PutEventsRequestEntry): number =>
  (entry.Time ? 14 : 0) +
  Buffer.byteLength(entry.Source ?? '') +
  Buffer.byteLength(entry.DetailType ?? '') +
  Buffer.byteLength(entry.Detail ?? '') +
  (entry.Resources ?? []).reduce((sum, resource) => sum + Buffer.byteLength(resource), 0);

export const toEntry = (event: DomainEvent, busName: string): PutEventsRequestEntry => ({
  EventBusName: busName,
  Source: EVENT_SOURCE,
  DetailType: event.detailType,
  Detail: JSON.stringify(event.detail),
  Time: new Date(event.detail.occurredAt),
});

/**
 * Entry errors no retry can cure: EventBridge refuses the entry itself. Everything else (throttling,
 * internal failures, a missing bus or permission) may pass later and is retried.
 */
const PERMANENT_ENTRY_ERRORS: ReadonlySet<string> = new Set(['InvalidArgument', 'MalformedDetail']);

export interface PutOutcome {
  published: DomainEvent[];
  /**
   * Events that could not be put, with the last reason; `permanent` when sending the same entry
   * again can never succeed (too large, refused as invalid).
   */
  failed: { event: DomainEvent; reason: string; permanent: boolean }[];
}

export interface PutEventsOptions {
  bus: EventBridgeClient;
  busName: string;
  /** Rounds of sending; each round resends only the entries that failed in the one before. */
  maxAttempts?: number;
  backoff?: (attempt: number) => Promise<void>;
}

const defaultBackoff = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * Math.min(2000, 100 * 2 ** attempt)));

/**
 * Puts events in chunks of 10. When the response reports failed entries, only those are sent
 * again (unless refused as invalid); entries over 256 KB are refused before sending. Nothing is
 * dropped silently: what still fails is returned to the caller.
 */
export const putEvents = async (
  events: readonly DomainEvent[],
  options: PutEventsOptions,
): Promise<PutOutcome> => {
  const maxAttempts = options.maxAttempts ?? 3;
  const backoff = options.backoff ?? defaultBackoff;
  const published: DomainEvent[] = [];
  const failed: PutOutcome['failed'] = [];

  let pending: { event: DomainEvent; entry: PutEventsRequestEntry; reason: string }[] = [];
  for (const event of events) {
    const entry = toEntry(event, options.busName);
    const size = entrySize(entry);
    if (size > PUT_EVENTS_MAX_ENTRY_BYTES) {
      failed.push({
        event,
        reason: `entry is ${size} bytes; EventBridge accepts at most ${PUT_EVENTS_MAX_ENTRY_BYTES}`,
        permanent: true,
      });
    } else {
      pending.push({ event, entry, reason: '' });
    }
  }

  for (let attempt = 1; attempt <= maxAttempts && pending.length > 0; attempt++) {
    if (attempt > 1) await backoff(attempt - 1);
    const retry: typeof pending = [];
    for (let i = 0; i < pending.length; i += PUT_EVENTS_MAX_ENTRIES) {
      const chunk = pending.slice(i, i + PUT_EVENTS_MAX_ENTRIES);
      try {
        const result = await options.bus.send(new PutEventsCommand({ Entries: chunk.map((p) => p.entry) }));
        chunk.forEach((item, index) => {
          const outcome = result.Entries?.[index];
          if (outcome?.EventId && !outcome.ErrorCode) {
            published.push(item.event);
            return;
          }
          const reason = `${outcome?.ErrorCode ?? 'Unknown'}: ${outcome?.ErrorMessage ?? ''}`;
          if (PERMANENT_ENTRY_ERRORS.has(outcome?.ErrorCode ?? '')) {
            failed.push({ event: item.event, reason, permanent: true });
          } else {
            retry.push({ ...item, reason });
          }
        });
      } catch (error) {
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        retry.push(...chunk.map((item) => ({ ...item, reason })));
      }
    }
    pending = retry;
  }
  failed.push(...pending.map(({ event, reason }) => ({ event, reason, permanent: false })));
  return { published, failed };
};
