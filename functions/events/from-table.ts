import type { EventSource } from '../storage/event-source-repository.js';
import { DETAIL_TYPES, type DomainEvent } from './catalogue.js';
import { milestoneEvent, noticeEvent } from './from-stream.js';

/**
 * The event a stored fact announces, built by the same functions the stream path uses, so it
 * carries the id (and content) it was first published with. A threshold claim keeps the detail
 * of its first announcement: later offers of the same threshold never replace it.
 */
export const eventOfSource = (source: EventSource): DomainEvent => {
  switch (source.kind) {
    case 'milestone':
      return milestoneEvent(source.milestone);
    case 'notice':
      return noticeEvent(source.notice);
    case 'threshold':
      return { detailType: DETAIL_TYPES.progressThresholdReached, detail: source.claim.detail };
  }
};

/** The events of the facts, oldest first (then by id, for a stable order), each once. */
export const eventsOfSources = (sources: readonly EventSource[]): DomainEvent[] => {
  const byId = new Map<string, DomainEvent>();
  for (const source of sources) {
    const event = eventOfSource(source);
    byId.set(event.detail.eventId, event);
  }
  return [...byId.values()].sort(
    (a, b) =>
      a.detail.occurredAt.localeCompare(b.detail.occurredAt) ||
      a.detail.eventId.localeCompare(b.detail.eventId),
  );
};
