import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ALL_DETAIL_TYPES, type DetailType, type DomainEvent } from '../events/catalogue.js';
import { eventsOfSources } from '../events/from-table.js';
import { type PutOutcome, putEvents } from '../events/put-events.js';
import { EVENT_LOG_RETENTION_DAYS, type EventRepository } from '../storage/event-repository.js';
import type { EventSourceRepository, Window } from '../storage/event-source-repository.js';

export interface RepublishDependencies {
  sources: EventSourceRepository;
  events: EventRepository;
  bus: EventBridgeClient;
  busName: string;
  now?: () => Date;
  maxPutAttempts?: number;
  backoff?: (attempt: number) => Promise<void>;
}

export interface RepublishResult {
  /** The events the window's facts announce, oldest first. */
  found: DomainEvent[];
  /** Put on the bus now (none on a dry run). */
  published: DomainEvent[];
  failed: PutOutcome['failed'];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** How many events of each detail type (every type of the catalogue, 0 when none). */
export const countByDetailType = (events: readonly DomainEvent[]): Record<DetailType, number> => {
  const counts = Object.fromEntries(ALL_DETAIL_TYPES.map((type) => [type, 0])) as Record<DetailType, number>;
  for (const event of events) counts[event.detailType] += 1;
  return counts;
};

/**
 * Puts the events of a window back on the bus, derived from the table (milestones, threshold
 * claims, watchdog notices) with their original ids, so subscribers that deduplicate by
 * webhook-id see nothing twice. What the stream path does after a put, this does too: it logs
 * the events for replay (same id, same key: an entry is overwritten, never doubled) and marks a
 * threshold announced, so the stream does not announce it again.
 */
export const republish = async (
  deps: RepublishDependencies,
  window: Window,
  options: { dryRun?: boolean } = {},
): Promise<RepublishResult> => {
  const sources = await deps.sources.sourcesBetween(window);
  const found = eventsOfSources(sources);
  if (options.dryRun || found.length === 0) return { found, published: [], failed: [] };

  const outcome = await putEvents(found, {
    bus: deps.bus,
    busName: deps.busName,
    ...(deps.maxPutAttempts === undefined ? {} : { maxAttempts: deps.maxPutAttempts }),
    ...(deps.backoff === undefined ? {} : { backoff: deps.backoff }),
  });

  // An entry past its retention would be written already expired: TTL deletes it, replay skips it.
  const now = (deps.now ?? (() => new Date()))().getTime();
  const loggable = outcome.published.filter(
    (event) => Date.parse(event.detail.occurredAt) + EVENT_LOG_RETENTION_DAYS * DAY_MS > now,
  );
  if (loggable.length > 0) await deps.events.logEvents(loggable);

  const publishedIds = new Set(outcome.published.map((event) => event.detail.eventId));
  for (const source of sources) {
    if (source.kind !== 'threshold' || source.claim.status !== 'claimed') continue;
    if (publishedIds.has(source.claim.detail.eventId)) {
      await deps.events.markThresholdPublished(source.claim.detail);
    }
  }
  return { found, published: outcome.published, failed: outcome.failed };
};
