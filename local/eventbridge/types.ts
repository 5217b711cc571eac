/** The local bus's public shapes: envelopes, rules and targets, options and the handle. */
import type { EventPattern } from './event-pattern.js';

/** What a target receives: the event as EventBridge delivers it. */
export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** ISO 8601 without milliseconds, like `2024-03-12T19:03:58Z`. */
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export interface RetryPolicy {
  /** Retries after the first attempt (EventBridge: 0–185). */
  maximumRetryAttempts: number;
  /** An event older than this is not retried again (EventBridge: 60–86400). */
  maximumEventAgeSeconds: number;
}

export interface DeliveryContext {
  rule: string;
  target: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborted when the bus closes: a long-running target may stop early (it is redelivered on restart). */
  signal: AbortSignal;
}

export interface LocalTarget {
  id: string;
  /** Resolves when the event is handled; a rejection is retried per `retryPolicy`. */
  invoke(envelope: EventEnvelope, context: DeliveryContext): Promise<void>;
  retryPolicy: RetryPolicy;
  /**
   * Receives the event once the retries are exhausted (or the event is too old). Defaults to an
   * append to `<dataDir>/eventbridge/dead-letter.jsonl` (in memory without a dataDir) and a log line.
   */
  deadLetter?(envelope: EventEnvelope, error: unknown, context: DeliveryContext): Promise<void>;
}

export interface LocalRule {
  name: string;
  pattern: EventPattern;
  targets: readonly LocalTarget[];
}

export interface LocalEventBusOptions {
  /** The local runtime's data dir (the journal goes under `eventbridge/`); `null` keeps everything in memory. */
  dataDir: string | null;
  rules: readonly LocalRule[];
  /** PutEvents entries must name this bus (or its ARN). */
  busName: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  region?: string;
  accountId?: string;
  log?: (line: string) => void;
  /** Multiplies the retry delays (100 ms doubling, capped at 5 s); tests shrink it. */
  retryDelayScale?: number;
  /** How long close() waits for running target invocations before abandoning them. */
  closeGraceMs?: number;
}

export interface LocalEventBus {
  /** `http://127.0.0.1:<port>`, for the SDK's `endpoint` option. */
  endpoint: string;
  port: number;
  busArn: string;
  /** Resolves when every accepted event has been handled by each of its targets (or the bus closed). */
  flush(): Promise<void>;
  /**
   * A fault switch for tests and drills, not an EventBridge feature: while on, every PutEvents is
   * answered `AccessDeniedException`, as a bus behind a wrong policy or an outage would refuse
   * it; nothing is accepted, so nothing is delivered. Off again, the bus accepts as before.
   */
  refusePutEvents(refusing: boolean): void;
  /** Stops accepting, cancels pending retries, waits briefly for running invocations. Safe to call twice. */
  close(): Promise<void>;
}

/** A PutEvents entry as it arrives over the wire (`Time` in epoch seconds) or from a test (`Date`). */
export interface PutEventsEntry {
  Source: string;
  DetailType: string;
  Detail: string;
  Resources?: string[];
  Time?: Date | number;
  EventBusName?: string;
}
