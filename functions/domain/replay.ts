/** What a replay id may look like in a path: ids are UUIDs, but the check is only a sanity bound. */
export const REPLAY_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** Where a replay of a subscription's logged events stands. */
export const REPLAY_STATES = ['queued', 'running', 'done', 'failed'] as const;
export type ReplayState = (typeof REPLAY_STATES)[number];

/** States in which the worker still has pages to read. */
export const UNFINISHED_REPLAY_STATES: readonly ReplayState[] = ['queued', 'running'];

/**
 * What a replay did so far. Every matched event is counted once in exactly one of the others:
 * queued anew, skipped because its delivery is already queued or being sent, or queued again
 * because that delivery was stuck past its lease.
 */
export interface ReplayCounts {
  matched: number;
  queued: number;
  skippedAlreadyPending: number;
  stuckRequeued: number;
}

export const NO_REPLAY_COUNTS: ReplayCounts = {
  matched: 0,
  queued: 0,
  skippedAlreadyPending: 0,
  stuckRequeued: 0,
};

/** A request to re-deliver a subscription's logged events from `since` up to `until`. */
export interface Replay {
  id: string;
  subscriptionId: string;
  since: string;
  /** When it was requested: later events reach the subscription the usual way. */
  until: string;
  state: ReplayState;
  counts: ReplayCounts;
  /** Pages read so far. */
  pages: number;
  createdAt: string;
  updatedAt: string;
  /** Why it failed; null otherwise. */
  error: string | null;
}

/** How a replay saw one matched event's delivery. */
export type ReplayedDelivery = 'queued' | 'stuck-requeued' | 'already-pending';

/** The counts of one page. */
export const pageCounts = (outcomes: readonly ReplayedDelivery[]): ReplayCounts => ({
  matched: outcomes.length,
  queued: outcomes.filter((o) => o === 'queued').length,
  skippedAlreadyPending: outcomes.filter((o) => o === 'already-pending').length,
  stuckRequeued: outcomes.filter((o) => o === 'stuck-requeued').length,
});
