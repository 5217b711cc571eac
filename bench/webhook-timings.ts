/**
 * The event-latency case's bookkeeping, kept pure so that tests/unit/bench can hold it: which
 * verified webhook answers which report (by milestone id and event id, never by arrival order,
 * since deliveries run concurrently and at least once), and where the time went between the POST
 * and the hook, read from the runtime's JSON log lines.
 */
import { median } from './stats.js';

/** One report as the bench sent it: epoch ms just before the POST and when its answer was read. */
export interface SentReport {
  milestoneId: string;
  sentAt: number;
  answeredAt: number;
}

/** A webhook whose Standard Webhooks signature verified, with the moment it did. */
export interface VerifiedHook {
  eventId: string;
  type: string;
  /** The milestone a MilestoneRecorded announces; null for other events. */
  milestoneId: string | null;
  verifiedAt: number;
}

export interface ReportLatency extends SentReport {
  eventId: string;
  verifiedAt: number;
  /** From just before the POST to the verified hook. */
  ms: number;
}

const MILESTONE_RECORDED = 'MilestoneRecorded';

/**
 * The hook a verified body announces. `signedId` is the webhook-id the signature covers: the
 * payload's own event id must be the same, or the body could be replayed under another id.
 */
export const verifiedHookOf = (body: string, signedId: string, verifiedAt: number): VerifiedHook => {
  const payload = JSON.parse(body) as { type?: unknown; data?: { eventId?: unknown; milestoneId?: unknown } };
  if (payload.data?.eventId !== signedId) {
    throw new Error(`hook ${signedId} carries event id ${String(payload.data?.eventId)}`);
  }
  const milestoneId = payload.data.milestoneId;
  return {
    eventId: signedId,
    type: String(payload.type),
    milestoneId: payload.type === MILESTONE_RECORDED && typeof milestoneId === 'string' ? milestoneId : null,
    verifiedAt,
  };
};

/** The first verified MilestoneRecorded for `milestoneId` (a redelivery comes later and is ignored). */
export const firstHookFor = (hooks: readonly VerifiedHook[], milestoneId: string): VerifiedHook | undefined =>
  hooks
    .filter((hook) => hook.milestoneId === milestoneId)
    .reduce<VerifiedHook | undefined>(
      (first, hook) => (first === undefined || hook.verifiedAt < first.verifiedAt ? hook : first),
      undefined,
    );

/** Each report's latency to its own hook; fails naming every report that got none. */
export const matchReports = (
  reports: readonly SentReport[],
  hooks: readonly VerifiedHook[],
): ReportLatency[] => {
  const missing: string[] = [];
  const matched: ReportLatency[] = [];
  for (const report of reports) {
    const hook = firstHookFor(hooks, report.milestoneId);
    if (hook === undefined) {
      missing.push(report.milestoneId);
      continue;
    }
    matched.push({
      ...report,
      eventId: hook.eventId,
      verifiedAt: hook.verifiedAt,
      ms: hook.verifiedAt - report.sentAt,
    });
  }
  if (missing.length > 0) throw new Error(`no verified webhook for milestone(s) ${missing.join(', ')}`);
  return matched;
};

/** The log lines that mark an event's passage (functions/handlers/stream-publisher.ts, notifier.ts). */
const PUBLISHED = 'event published';
const FANNED_OUT = 'event fanned out';

/** When each event was logged as published and as fanned out, by event id (the first line of each). */
export interface LogMarks {
  published: Map<string, number>;
  fannedOut: Map<string, number>;
}

/** Reads the marks from a runtime's output (LOG_FORMAT=json); other lines are skipped. */
export const logMarks = (output: string): LogMarks => {
  const marks: LogMarks = { published: new Map(), fannedOut: new Map() };
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    let parsed: { message?: unknown; eventId?: unknown; timestamp?: unknown };
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    const { message, eventId, timestamp } = parsed;
    if (typeof eventId !== 'string' || typeof timestamp !== 'string') continue;
    const into = message === PUBLISHED ? marks.published : message === FANNED_OUT ? marks.fannedOut : null;
    if (into !== null && !into.has(eventId)) into.set(eventId, Date.parse(timestamp));
  }
  return marks;
};

/**
 * The stretches of a report's way to its hook. The publisher logs after its PutEvents and its
 * event-log write, the notifier after its SendMessageBatch: each mark closes the stretch named.
 */
export const HOPS = [
  'write (POST answered)',
  'stream poll + publisher',
  'bus + notifier',
  'queue + deliverer',
] as const;
export type Hop = (typeof HOPS)[number];

export interface HopShare {
  hop: Hop;
  medianMs: number;
  /** This hop's part of the summed latencies, to hundredths. */
  share: number;
}

const hopsOf = (latency: ReportLatency, marks: LogMarks): Record<Hop, number> | null => {
  const published = marks.published.get(latency.eventId);
  const fannedOut = marks.fannedOut.get(latency.eventId);
  if (published === undefined || fannedOut === undefined) return null;
  return {
    'write (POST answered)': latency.answeredAt - latency.sentAt,
    'stream poll + publisher': published - latency.answeredAt,
    'bus + notifier': fannedOut - published,
    'queue + deliverer': latency.verifiedAt - fannedOut,
  };
};

/** Each hop's median and share over the reports whose marks were all logged; empty without any. */
export const hopShares = (latencies: readonly ReportLatency[], marks: LogMarks): HopShare[] => {
  const split = latencies.map((latency) => hopsOf(latency, marks)).filter((hops) => hops !== null);
  if (split.length === 0) return [];
  const total = split.reduce((sum, hops) => sum + HOPS.reduce((inner, hop) => inner + hops[hop], 0), 0);
  return HOPS.map((hop) => {
    const samples = split.map((hops) => hops[hop]);
    const summed = samples.reduce((sum, ms) => sum + ms, 0);
    return {
      hop,
      medianMs: median(samples),
      share: total > 0 ? Math.round((summed / total) * 100) / 100 : 0,
    };
  });
};
