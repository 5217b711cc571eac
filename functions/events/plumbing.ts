import { ENTITY } from '../storage/keys.js';
import { ALL_DETAIL_TYPES, EVENT_SOURCE } from './detail-types.js';

/**
 * How events move, declared once: the CDK stack provisions these settings and the local runtime
 * (stream poller, local bus, local queue) applies the very same ones.
 */

/** The table's stream → the publisher function. */
export const STREAM_SOURCE = {
  batchSize: 100,
  maxBatchingWindowSeconds: 1,
  startingPosition: 'TRIM_HORIZON',
  /** Splits a failing batch until the record that fails is alone, so the others go through. */
  bisectBatchOnError: true,
  /**
   * -1: a failing batch is retried until it succeeds, however long PutEvents refuses (an outage, a
   * wrong bus name, a missing permission). A record that can never become a valid event does not
   * hold the shard: the publisher sends it, content and all, to the stream failure queue itself.
   */
  retryAttempts: -1,
  /**
   * -1: no age limit of our own; a record is retried until it leaves the stream (24 h), and only
   * then does Lambda send its batch's description to the on-failure queue.
   */
  maxRecordAgeSeconds: -1,
  reportBatchItemFailures: true,
  /**
   * Only items that make events wake the publisher: a new milestone, a change of a region
   * aggregate, and a new watchdog notice. Patterns follow EventBridge syntax, applied to the
   * Lambda stream record.
   */
  filterPatterns: [
    { eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: [ENTITY.milestone] } } } },
    { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { entity: { S: [ENTITY.region] } } } },
    { eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: [ENTITY.notice] } } } },
  ],
} as const;

/**
 * The watchdog: EventBridge Scheduler runs it daily at 09:00 in China; the local runtime reads
 * the same expression and time zone for its timer.
 */
export const WATCHDOG_SCHEDULE = {
  expression: 'cron(0 9 * * ? *)',
  timeZone: 'Asia/Shanghai',
  /** Scheduler's retries of an invocation it could not hand to Lambda, and how long it keeps trying. */
  retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeSeconds: 6 * 60 * 60 },
} as const;

/** The custom bus and its archive. */
export const EVENT_BUS = {
  archiveRetentionDays: 365,
  archivePattern: { source: [EVENT_SOURCE] },
} as const;

/** EventBridge rule: every product event → the notifier, which fans out to subscriptions. */
export const NOTIFIER_RULE = {
  name: 'notify-subscribers',
  pattern: { source: [EVENT_SOURCE], 'detail-type': ALL_DETAIL_TYPES },
  retryPolicy: { maximumRetryAttempts: 20, maximumEventAgeSeconds: 24 * 60 * 60 },
} as const;

/** EventBridge rule per subscribing account: the product's events → that account's default bus. */
export const FORWARD_PATTERN = { source: [EVENT_SOURCE] } as const;

/**
 * One message per (event, subscription). A failed delivery waits the next delay (or the
 * subscriber's Retry-After, if longer) before the next attempt: about a day in all, then the
 * message goes to the dead-letter queue.
 */
export const DELIVERY_QUEUE = {
  batchSize: 10,
  /** Deliverers running at once at most (the SQS event source's maximum concurrency; 2 is its least). */
  maxConcurrency: 10,
  /** Six times the deliverer's timeout, as AWS advises for SQS event sources. */
  visibilityTimeoutSeconds: 180,
  /**
   * Longer than the longest possible retry schedule (9 delays, each at most the ~12 h SQS
   * allows when a subscriber asks for more with Retry-After), so a message is dead-lettered,
   * never expired.
   */
  retentionDays: 14,
  retryDelaysSeconds: [60, 300, 900, 1800, 3600, 7200, 14_400, 28_800, 28_800],
  /** Attempts before dead-lettering: the first try plus one per delay. */
  get maxReceiveCount(): number {
    return this.retryDelaysSeconds.length + 1;
  },
  /** A subscriber gets this long to answer. */
  requestTimeoutMs: 5_000,
} as const;

/**
 * How long a delivery may sit `queued` or `sending` without a change before it counts as lost: a
 * message is received at most maxReceiveCount times, each at most one visibility timeout after
 * the last (a failed attempt that waits longer is recorded as `retrying` first). Past that, SQS
 * has dead-lettered it without the deliverer recording it, and a replay may queue it again.
 */
export const deliveryLeaseSeconds = (
  visibilityTimeoutSeconds: number = DELIVERY_QUEUE.visibilityTimeoutSeconds,
): number => visibilityTimeoutSeconds * DELIVERY_QUEUE.maxReceiveCount;

/**
 * A replay runs one page of the event log per message: the replay worker reads the page, queues
 * its deliveries, records where it stopped and sends the message for the next page.
 */
export const REPLAY_QUEUE = {
  /** One page per invocation: a page is already up to pageSize deliveries. */
  batchSize: 1,
  /** Logged events read per page. */
  pageSize: 100,
  /** Replays running at once at most (the event source's least). */
  maxConcurrency: 2,
  /** Six times the worker's timeout, as AWS advises for SQS event sources. */
  visibilityTimeoutSeconds: 180,
  /** Attempts at a page before the replay is marked failed (and the message dead-lettered). */
  maxReceiveCount: 5,
  retentionDays: 4,
} as const;

/** Environment variables the event functions read (set by CDK, or by the local runtime). */
export const EVENT_ENV = {
  busName: 'EVENT_BUS_NAME',
  deliveryQueueUrl: 'DELIVERY_QUEUE_URL',
  /** The StreamFailures queue, where the publisher sends a record that can never become an event. */
  streamFailureQueueUrl: 'STREAM_FAILURE_QUEUE_URL',
  replayQueueUrl: 'REPLAY_QUEUE_URL',
  /** Overrides deliveryLeaseSeconds() where the delivery queue's timing is scaled (the local runtime). */
  deliveryLeaseSeconds: 'DELIVERY_LEASE_SECONDS',
  /** `true` only on the local stage: webhooks to http://localhost are allowed. */
  allowLocalWebhooks: 'WEBHOOK_ALLOW_LOCALHOST',
  /** Ports besides 443 and 80 a webhook URL may name, comma-separated (the stage's allowedWebhookPorts). */
  allowedWebhookPorts: 'WEBHOOK_ALLOWED_PORTS',
  /** The stage's maxSubscriptionsPerOffice, read by the create-subscription route. */
  maxSubscriptionsPerOffice: 'MAX_SUBSCRIPTIONS_PER_OFFICE',
  /** Multiplies the retry delays (tests shorten a day of retries to seconds). */
  retryDelayScale: 'WEBHOOK_RETRY_DELAY_SCALE',
} as const;
