/**
 * Delivery of accepted events to their targets: asynchronous, with the target's retry policy
 * (100 ms doubling, capped at 5 s, times the delay scale), then its dead-letter step. A delivery
 * is checkpointed when it finished; what is unfinished at close stays owed in the journal and is
 * made again on the next start.
 */
import { errorMessage } from '../shared/error-text.js';
import type { CheckpointRecord, EventJournal, JournalRecord } from './event-journal.js';
import { readLines } from './event-journal.js';
import type { DeliveryContext, EventEnvelope, LocalTarget } from './types.js';

const FIRST_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 5_000;
/** Rewrite the journal without its finished events once this many lines were appended. */
const COMPACT_AFTER_LINES = 1_000;

/** An event with deliveries not yet finished. */
interface Owed {
  record: JournalRecord;
  remaining: Set<string>;
  handled: Set<string>;
}

/** A sleep that ends early when `signal` aborts. */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((done) => {
    if (signal.aborted) return done();
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      done();
    }
    signal.addEventListener('abort', finish, { once: true });
  });

export class Deliveries {
  /** Events with deliveries not yet finished, by id. */
  private readonly owed = new Map<string, Owed>();
  private readonly shutdown = new AbortController();
  private closed = false;
  private running = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly journal: EventJournal,
    /** Target by `rule/target` key. */
    private readonly targets: ReadonlyMap<string, { rule: string; target: LocalTarget }>,
    private readonly delayScale: number,
    private readonly log: (line: string) => void,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** What the compacted journal keeps: the owed events and their finished deliveries. */
  private pending(records: JournalRecord[]) {
    return {
      records,
      handled: [...this.owed.values()].flatMap((entry): CheckpointRecord[] =>
        [...entry.handled].map((target) => ({ id: entry.record.envelope.id, target })),
      ),
    };
  }

  /**
   * Reads the journal's deliveries without a checkpoint, rewrites the journal to hold only those,
   * and returns them (to be scheduled once the bus listens).
   */
  async recover(): Promise<{ record: JournalRecord; pending: string[] }[]> {
    const recovered: { record: JournalRecord; pending: string[] }[] = [];
    const records = await readLines<JournalRecord>(this.journal.journalPath as string, this.log);
    const checkpoints = await readLines<CheckpointRecord>(this.journal.checkpointPath as string, this.log);
    const handled = new Map<string, Set<string>>();
    for (const { id, target } of checkpoints) {
      const set = handled.get(id) ?? new Set<string>();
      set.add(target);
      handled.set(id, set);
    }
    for (const record of records) {
      // A record can appear twice when a compaction raced an append: the first copy counts.
      if (!record?.envelope?.id || !Array.isArray(record.targets) || this.owed.has(record.envelope.id))
        continue;
      const done = handled.get(record.envelope.id) ?? new Set<string>();
      const pending = record.targets.filter((key) => !done.has(key));
      if (pending.length === 0) continue;
      recovered.push({ record, pending });
      this.owed.set(record.envelope.id, {
        record,
        remaining: new Set(pending),
        handled: new Set(record.targets.filter((key) => done.has(key))),
      });
    }
    // Start from journals holding only what is still owed.
    await this.journal.compact(() => this.pending(recovered.map(({ record }) => record)));
    if (recovered.length > 0) {
      const deliveries = recovered.reduce((sum, { pending }) => sum + pending.length, 0);
      this.log(
        `[eventbridge] resuming ${deliveries} unfinished deliveries of ${recovered.length} journalled event(s)`,
      );
    }
    return recovered;
  }

  /** Journals the accepted events (durable before acknowledged), then schedules their deliveries. */
  async accept(accepted: JournalRecord[]): Promise<void> {
    // Owed before the append is queued, so a compaction queued meanwhile keeps them.
    for (const record of accepted) {
      this.owed.set(record.envelope.id, { record, remaining: new Set(record.targets), handled: new Set() });
    }
    try {
      await this.journal.appendJournal(accepted);
    } catch (error) {
      for (const record of accepted) this.owed.delete(record.envelope.id);
      throw error;
    }
    for (const record of accepted) this.schedule(record, record.targets);
  }

  schedule(record: JournalRecord, keys: Iterable<string>): void {
    for (const key of keys) {
      this.running++;
      const delivery = this.deliver(record, key)
        .catch((error: unknown) =>
          this.log(`[eventbridge] ${key}: delivery failed unexpectedly: ${errorMessage(error)}`),
        )
        .finally(() => {
          this.running--;
          this.inFlight.delete(delivery);
          this.settleIfIdle();
          this.maybeCompact();
        });
      this.inFlight.add(delivery);
    }
  }

  /** Resolves when every accepted event has been handled by each of its targets (or the bus closed). */
  flush(): Promise<void> {
    return this.running === 0 || this.closed
      ? Promise.resolve()
      : new Promise((wake) => this.idleWaiters.push(wake));
  }

  /** From here nothing is checkpointed; waits up to `graceMs` for the running invocations. */
  async close(graceMs: number): Promise<void> {
    this.closed = true;
    this.shutdown.abort();
    this.settleIfIdle();
    if (this.inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.inFlight]),
        new Promise<void>((done) => {
          timer = setTimeout(done, graceMs);
        }),
      ]);
      clearTimeout(timer);
    }
  }

  private settleIfIdle() {
    if (this.running > 0 && !this.closed) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  private maybeCompact() {
    if (
      this.journal.journalPath === null ||
      this.running > 0 ||
      this.closed ||
      this.journal.appendedSinceCompaction < COMPACT_AFTER_LINES
    )
      return;
    this.journal
      .compact(() => this.pending([...this.owed.values()].map((entry) => entry.record)))
      .catch((error: unknown) => this.log(`[eventbridge] journal compaction failed: ${errorMessage(error)}`));
  }

  private readonly defaultDeadLetter = async (
    envelope: EventEnvelope,
    error: unknown,
    context: DeliveryContext,
  ) => {
    this.log(
      `[eventbridge] ${context.rule}/${context.target}: event ${envelope.id} (${envelope['detail-type']}) ` +
        `dead-lettered after ${context.attempt} attempt(s): ${errorMessage(error)}`,
    );
    await this.journal.appendDeadLetter({
      deadLetteredAt: new Date().toISOString(),
      rule: context.rule,
      target: context.target,
      attempts: context.attempt,
      error: errorMessage(error),
      event: envelope,
    });
  };

  private async finish(id: string, key: string) {
    const entry = this.owed.get(id);
    if (this.closed || !entry) return;
    await this.journal.appendCheckpoint({ id, target: key });
    entry.remaining.delete(key);
    entry.handled.add(key);
    if (entry.remaining.size === 0) this.owed.delete(id);
  }

  /** Hands the event to the target's dead-letter step (the default one when that fails). */
  private async deadLetter(
    target: LocalTarget,
    envelope: EventEnvelope,
    reason: unknown,
    context: DeliveryContext,
  ) {
    try {
      await (target.deadLetter ?? this.defaultDeadLetter)(envelope, reason, context);
    } catch (deadLetterError) {
      this.log(
        `[eventbridge] ${context.rule}/${context.target}: deadLetter failed (${errorMessage(deadLetterError)}); using the default`,
      );
      await this.defaultDeadLetter(envelope, reason, context);
    }
  }

  /** One target's delivery of one event, with its retries; never rejects. */
  private async deliver(record: JournalRecord, key: string) {
    const { envelope } = record;
    const found = this.targets.get(key);
    if (!found) {
      this.log(`[eventbridge] event ${envelope.id}: target ${key} no longer exists; the delivery is dropped`);
      await this.finish(envelope.id, key);
      return;
    }
    const { rule, target } = found;
    const policy = target.retryPolicy;
    for (let attempt = 1; ; attempt++) {
      if (this.closed) return;
      const context: DeliveryContext = { rule, target: target.id, attempt, signal: this.shutdown.signal };
      try {
        await target.invoke(envelope, context);
        await this.finish(envelope.id, key);
        return;
      } catch (error) {
        if (this.closed) return;
        const ageSeconds = (Date.now() - record.acceptedAt) / 1000;
        const exhausted = attempt > policy.maximumRetryAttempts;
        const tooOld = ageSeconds >= policy.maximumEventAgeSeconds;
        if (exhausted || tooOld) {
          const reason =
            tooOld && !exhausted ? new Error(`maximum event age exceeded: ${errorMessage(error)}`) : error;
          await this.deadLetter(target, envelope, reason, context);
          await this.finish(envelope.id, key);
          return;
        }
        const delay =
          Math.min(FIRST_RETRY_DELAY_MS * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS) * this.delayScale;
        this.log(
          `[eventbridge] ${key}: event ${envelope.id} attempt ${attempt} failed (${errorMessage(error)}); ` +
            `retrying in ${Math.round(delay)} ms`,
        );
        await sleep(delay, this.shutdown.signal);
      }
    }
  }
}
