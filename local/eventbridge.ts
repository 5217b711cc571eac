/**
 * A local EventBridge bus the unchanged AWS SDK can call: an HTTP endpoint speaking the JSON 1.1
 * protocol for `AWSEvents.PutEvents`, rules matched with the EventBridge pattern semantics, and
 * asynchronous delivery to targets with the rule's retry policy and a dead-letter step.
 *
 * Durability (when `dataDir` is set): every accepted event is appended to
 * `<dataDir>/eventbridge/journal.jsonl` and fsync'ed before PutEvents answers; each (event, target)
 * delivery that finished — delivered or dead-lettered — is appended to `checkpoint.jsonl`. On start,
 * journalled deliveries without a checkpoint are made again: a kill loses no event, and a delivery
 * may happen twice (at-least-once, like EventBridge).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { type FileHandle, open, readFile, rename } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { compilePattern, type EventPattern } from './event-pattern.js';

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

export const MAX_ENTRIES_PER_REQUEST = 10;
/** 256 KB, counted as EventBridge counts it (see `entrySize`). */
export const MAX_ENTRY_BYTES = 256 * 1024;
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
const MAX_SOURCE_LENGTH = 256;
const MAX_DETAIL_TYPE_LENGTH = 128;
const FIRST_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 5_000;
const DEFAULT_CLOSE_GRACE_MS = 1_000;
/** Rewrite the journal without its finished events once this many lines were appended. */
const COMPACT_AFTER_LINES = 1_000;
const DEFAULT_ACCOUNT_ID = '000000000000';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** ISO 8601 without milliseconds, as EventBridge writes `time`. */
const awsTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The entry size as EventBridge computes it: 14 bytes for Time when given, plus the UTF-8 bytes of
 * Source, DetailType, Detail and each resource.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html
 */
export const entrySize = (
  entry: Pick<PutEventsEntry, 'Source' | 'DetailType' | 'Detail' | 'Resources' | 'Time'>,
) =>
  (entry.Time === undefined ? 0 : 14) +
  Buffer.byteLength(entry.Source) +
  Buffer.byteLength(entry.DetailType) +
  Buffer.byteLength(entry.Detail) +
  (entry.Resources ?? []).reduce((sum, resource) => sum + Buffer.byteLength(resource), 0);

/** The event EventBridge makes of an accepted entry. Throws when Detail is not a JSON object. */
export const toEnvelope = (
  entry: PutEventsEntry,
  options: { region: string; accountId: string; id?: string; now?: Date },
): EventEnvelope => {
  const detail = JSON.parse(entry.Detail) as unknown;
  if (!isPlainObject(detail)) throw new Error('Detail must be a JSON object');
  const time =
    entry.Time === undefined
      ? (options.now ?? new Date())
      : entry.Time instanceof Date
        ? entry.Time
        : new Date(entry.Time * 1000);
  return {
    version: '0',
    id: options.id ?? randomUUID(),
    'detail-type': entry.DetailType,
    source: entry.Source,
    account: options.accountId,
    time: awsTime(time),
    region: options.region,
    resources: [...(entry.Resources ?? [])],
    detail,
  };
};

class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

const entryError = (ErrorCode: string, ErrorMessage: string) => ({ ErrorCode, ErrorMessage });

/** One journal line: an accepted event and the deliveries it owes, as `rule/target` keys. */
interface JournalRecord {
  envelope: EventEnvelope;
  targets: string[];
  /** Epoch ms when the bus accepted it: the start of the event's age. */
  acceptedAt: number;
}

interface CheckpointRecord {
  id: string;
  target: string;
}

const targetKey = (rule: string, target: string) => `${rule}/${target}`;

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

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

const readLines = async <T>(path: string, log: (line: string) => void): Promise<T[]> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const records: T[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as T);
    } catch {
      // A torn last line from a crash mid-append: that write was never acknowledged.
      log(`[eventbridge] ignoring unreadable line ${index + 1} of ${path}`);
    }
  }
  return records;
};

/** Append-only JSONL files with one writer: every operation runs in order on one promise chain. */
class Store {
  private chain: Promise<unknown> = Promise.resolve();
  private journal: FileHandle | null = null;
  private checkpoint: FileHandle | null = null;
  private deadLetters: FileHandle | null = null;
  private closed = false;
  appendedSinceCompaction = 0;

  constructor(private readonly dir: string | null) {}

  get journalPath() {
    return this.dir === null ? null : join(this.dir, 'journal.jsonl');
  }
  get checkpointPath() {
    return this.dir === null ? null : join(this.dir, 'checkpoint.jsonl');
  }
  get deadLetterPath() {
    return this.dir === null ? null : join(this.dir, 'dead-letter.jsonl');
  }

  /** Runs `operation` after every earlier one; once close() was called, new operations are skipped. */
  private run(operation: () => Promise<void>): Promise<void> {
    if (this.closed) return Promise.resolve();
    const result = this.chain.then(operation);
    this.chain = result.catch(() => undefined);
    return result;
  }

  private async handle(kind: 'journal' | 'checkpoint' | 'deadLetters'): Promise<FileHandle> {
    const existing = this[kind];
    if (existing) return existing;
    const path =
      kind === 'journal'
        ? this.journalPath
        : kind === 'checkpoint'
          ? this.checkpointPath
          : this.deadLetterPath;
    const handle = await open(path as string, 'a');
    this[kind] = handle;
    return handle;
  }

  /** Appends and fsyncs: when this resolves, the records survive a crash. */
  appendJournal(records: JournalRecord[]): Promise<void> {
    if (this.dir === null || records.length === 0) return Promise.resolve();
    return this.run(async () => {
      const handle = await this.handle('journal');
      await handle.appendFile(records.map((record) => `${JSON.stringify(record)}\n`).join(''));
      await handle.sync();
      this.appendedSinceCompaction += records.length;
    });
  }

  appendCheckpoint(record: CheckpointRecord): Promise<void> {
    if (this.dir === null) return Promise.resolve();
    return this.run(async () => {
      const handle = await this.handle('checkpoint');
      await handle.appendFile(`${JSON.stringify(record)}\n`);
      await handle.datasync();
    });
  }

  appendDeadLetter(record: unknown): Promise<void> {
    if (this.dir === null) return Promise.resolve();
    return this.run(async () => {
      const handle = await this.handle('deadLetters');
      await handle.appendFile(`${JSON.stringify(record)}\n`);
      await handle.datasync();
    });
  }

  /** Rewrites journal and checkpoint keeping only `pending` events (atomically, via rename). */
  compact(pending: () => { records: JournalRecord[]; handled: CheckpointRecord[] }): Promise<void> {
    if (this.dir === null) return Promise.resolve();
    return this.run(async () => {
      const { records, handled } = pending();
      await this.closeHandles(['journal', 'checkpoint']);
      // Checkpoint first: a crash between the renames leaves extra checkpoint lines, which are harmless.
      await writeAtomically(
        this.checkpointPath as string,
        handled.map((line) => `${JSON.stringify(line)}\n`).join(''),
      );
      await writeAtomically(
        this.journalPath as string,
        records.map((line) => `${JSON.stringify(line)}\n`).join(''),
      );
      this.appendedSinceCompaction = 0;
    });
  }

  private async closeHandles(kinds: ('journal' | 'checkpoint' | 'deadLetters')[]) {
    for (const kind of kinds) {
      const handle = this[kind];
      this[kind] = null;
      await handle?.close();
    }
  }

  close(): Promise<void> {
    const closing = this.run(() => this.closeHandles(['journal', 'checkpoint', 'deadLetters']));
    this.closed = true;
    return closing;
  }
}

const writeAtomically = async (path: string, content: string) => {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
};

const readBody = (request: IncomingMessage, limit: number): Promise<Buffer | null> =>
  new Promise((done, failed) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    request.on('end', () => done(tooLarge ? null : Buffer.concat(chunks)));
    request.on('error', failed);
  });

/** Starts the bus; resolves once it listens and the journal's unfinished deliveries are scheduled. */
export const startLocalEventBus = async (options: LocalEventBusOptions): Promise<LocalEventBus> => {
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const busName = options.busName;
  const busArn = `arn:aws:events:${region}:${accountId}:event-bus/${busName}`;
  const log = options.log ?? ((line: string) => console.log(line));
  const delayScale = options.retryDelayScale ?? 1;
  const closeGraceMs = options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;

  const targets = new Map<string, { rule: string; target: LocalTarget }>();
  const rules = options.rules.map((rule) => {
    for (const target of rule.targets) {
      const key = targetKey(rule.name, target.id);
      if (targets.has(key)) throw new Error(`Duplicate target ${key} on the local event bus`);
      targets.set(key, { rule: rule.name, target });
    }
    // Validates the pattern now: a malformed rule fails the start, as PutRule would fail.
    return { rule, matches: compilePattern(rule.pattern) };
  });

  const dir = options.dataDir === null ? null : resolve(options.dataDir, 'eventbridge');
  if (dir !== null) mkdirSync(dir, { recursive: true });
  const store = new Store(dir);

  /** Events with deliveries not yet finished, by id. */
  const owed = new Map<string, { record: JournalRecord; remaining: Set<string>; handled: Set<string> }>();
  const shutdown = new AbortController();
  let closed = false;
  let running = 0;
  let idleWaiters: (() => void)[] = [];
  const inFlight = new Set<Promise<void>>();

  const settleIfIdle = () => {
    if (running > 0 && !closed) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const wake of waiters) wake();
  };

  const maybeCompact = () => {
    if (dir === null || running > 0 || closed || store.appendedSinceCompaction < COMPACT_AFTER_LINES) return;
    store
      .compact(() => ({
        records: [...owed.values()].map((entry) => entry.record),
        handled: [...owed.values()].flatMap((entry) =>
          [...entry.handled].map((target) => ({ id: entry.record.envelope.id, target })),
        ),
      }))
      .catch((error: unknown) => log(`[eventbridge] journal compaction failed: ${errorText(error)}`));
  };

  const defaultDeadLetter = async (envelope: EventEnvelope, error: unknown, context: DeliveryContext) => {
    log(
      `[eventbridge] ${context.rule}/${context.target}: event ${envelope.id} (${envelope['detail-type']}) ` +
        `dead-lettered after ${context.attempt} attempt(s): ${errorText(error)}`,
    );
    await store.appendDeadLetter({
      deadLetteredAt: new Date().toISOString(),
      rule: context.rule,
      target: context.target,
      attempts: context.attempt,
      error: errorText(error),
      event: envelope,
    });
  };

  const finish = async (id: string, key: string) => {
    const entry = owed.get(id);
    if (closed || !entry) return;
    await store.appendCheckpoint({ id, target: key });
    entry.remaining.delete(key);
    entry.handled.add(key);
    if (entry.remaining.size === 0) owed.delete(id);
  };

  /** One target's delivery of one event, with its retries; never rejects. */
  const deliver = async (record: JournalRecord, key: string) => {
    const { envelope } = record;
    const found = targets.get(key);
    if (!found) {
      log(`[eventbridge] event ${envelope.id}: target ${key} no longer exists; the delivery is dropped`);
      await finish(envelope.id, key);
      return;
    }
    const { rule, target } = found;
    const policy = target.retryPolicy;
    for (let attempt = 1; ; attempt++) {
      if (closed) return;
      const context: DeliveryContext = { rule, target: target.id, attempt, signal: shutdown.signal };
      try {
        await target.invoke(envelope, context);
        await finish(envelope.id, key);
        return;
      } catch (error) {
        if (closed) return;
        const ageSeconds = (Date.now() - record.acceptedAt) / 1000;
        const exhausted = attempt > policy.maximumRetryAttempts;
        const tooOld = ageSeconds >= policy.maximumEventAgeSeconds;
        if (exhausted || tooOld) {
          const reason =
            tooOld && !exhausted ? new Error(`maximum event age exceeded: ${errorText(error)}`) : error;
          try {
            await (target.deadLetter ?? defaultDeadLetter)(envelope, reason, context);
          } catch (deadLetterError) {
            log(`[eventbridge] ${key}: deadLetter failed (${errorText(deadLetterError)}); using the default`);
            await defaultDeadLetter(envelope, reason, context);
          }
          await finish(envelope.id, key);
          return;
        }
        const delay = Math.min(FIRST_RETRY_DELAY_MS * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS) * delayScale;
        log(
          `[eventbridge] ${key}: event ${envelope.id} attempt ${attempt} failed (${errorText(error)}); ` +
            `retrying in ${Math.round(delay)} ms`,
        );
        await sleep(delay, shutdown.signal);
      }
    }
  };

  const schedule = (record: JournalRecord, keys: Iterable<string>) => {
    for (const key of keys) {
      running++;
      const delivery = deliver(record, key)
        .catch((error: unknown) =>
          log(`[eventbridge] ${key}: delivery failed unexpectedly: ${errorText(error)}`),
        )
        .finally(() => {
          running--;
          inFlight.delete(delivery);
          settleIfIdle();
          maybeCompact();
        });
      inFlight.add(delivery);
    }
  };

  // Recovery: deliveries journalled earlier and not checkpointed.
  let recovered: { record: JournalRecord; pending: string[] }[] = [];
  if (dir !== null) {
    const records = await readLines<JournalRecord>(store.journalPath as string, log);
    const checkpoints = await readLines<CheckpointRecord>(store.checkpointPath as string, log);
    const handled = new Map<string, Set<string>>();
    for (const { id, target } of checkpoints) {
      const set = handled.get(id) ?? new Set<string>();
      set.add(target);
      handled.set(id, set);
    }
    for (const record of records) {
      // A record can appear twice when a compaction raced an append: the first copy counts.
      if (!record?.envelope?.id || !Array.isArray(record.targets) || owed.has(record.envelope.id)) continue;
      const done = handled.get(record.envelope.id) ?? new Set<string>();
      const pending = record.targets.filter((key) => !done.has(key));
      if (pending.length === 0) continue;
      recovered.push({ record, pending });
      owed.set(record.envelope.id, {
        record,
        remaining: new Set(pending),
        handled: new Set(record.targets.filter((key) => done.has(key))),
      });
    }
    // Start from journals holding only what is still owed.
    await store.compact(() => ({
      records: recovered.map(({ record }) => record),
      handled: [...owed.values()].flatMap((entry) =>
        [...entry.handled].map((target) => ({ id: entry.record.envelope.id, target })),
      ),
    }));
    if (recovered.length > 0) {
      const deliveries = recovered.reduce((sum, { pending }) => sum + pending.length, 0);
      log(
        `[eventbridge] resuming ${deliveries} unfinished deliveries of ${recovered.length} journalled event(s)`,
      );
    }
  }

  const validateEntry = (raw: unknown): PutEventsEntry | { ErrorCode: string; ErrorMessage: string } => {
    if (!isPlainObject(raw)) return entryError('InvalidArgument', 'Each entry must be an object.');
    const busField = raw.EventBusName ?? 'default';
    if (typeof busField !== 'string' || (busField !== busName && busField !== busArn)) {
      return entryError(
        'ResourceNotFoundException',
        `Event bus ${String(busField)} does not exist. The local bus is ${busName} (${busArn}).`,
      );
    }
    const required = (name: 'Source' | 'DetailType' | 'Detail') => {
      const value = raw[name];
      return typeof value === 'string' && value !== ''
        ? null
        : `Parameter(s) ${name} is not valid. Reason: ${name} is a required argument.`;
    };
    for (const name of ['Source', 'DetailType', 'Detail'] as const) {
      const problem = required(name);
      if (problem) return entryError('InvalidArgument', problem);
    }
    const { Source, DetailType, Detail, Resources, Time } = raw as Record<string, unknown> & {
      Source: string;
      DetailType: string;
      Detail: string;
    };
    if (Source.length > MAX_SOURCE_LENGTH) {
      return entryError(
        'InvalidArgument',
        `Parameter(s) Source is not valid. Reason: longer than ${MAX_SOURCE_LENGTH}.`,
      );
    }
    if (DetailType.length > MAX_DETAIL_TYPE_LENGTH) {
      return entryError(
        'InvalidArgument',
        `Parameter(s) DetailType is not valid. Reason: longer than ${MAX_DETAIL_TYPE_LENGTH}.`,
      );
    }
    if (
      Resources !== undefined &&
      !(Array.isArray(Resources) && Resources.every((item) => typeof item === 'string'))
    ) {
      return entryError(
        'InvalidArgument',
        'Parameter(s) Resources is not valid. Reason: a list of strings is expected.',
      );
    }
    if (Time !== undefined && !(typeof Time === 'number' && Number.isFinite(Time))) {
      return entryError(
        'InvalidArgument',
        'Parameter(s) Time is not valid. Reason: epoch seconds are expected.',
      );
    }
    const entry: PutEventsEntry = {
      Source,
      DetailType,
      Detail,
      ...(Resources === undefined ? {} : { Resources: Resources as string[] }),
      ...(Time === undefined ? {} : { Time: Time as number }),
    };
    const size = entrySize(entry);
    if (size > MAX_ENTRY_BYTES) {
      return entryError(
        'InvalidArgument',
        `The entry size of ${size} bytes exceeds the limit of ${MAX_ENTRY_BYTES} bytes.`,
      );
    }
    let detail: unknown;
    try {
      detail = JSON.parse(Detail);
    } catch {
      return entryError('MalformedDetail', 'Detail is malformed.');
    }
    if (!isPlainObject(detail)) return entryError('MalformedDetail', 'Detail is malformed.');
    return entry;
  };

  const putEvents = async (body: unknown): Promise<{ FailedEntryCount: number; Entries: EntryResult[] }> => {
    if (!isPlainObject(body) || !Array.isArray(body.Entries)) {
      throw new AwsError(
        'ValidationException',
        "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
      );
    }
    const entries = body.Entries as unknown[];
    if (entries.length < 1 || entries.length > MAX_ENTRIES_PER_REQUEST) {
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value '${entries.length} entries' at 'entries' failed to satisfy constraint: ` +
          `Member must have length ${entries.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ENTRIES_PER_REQUEST}`}`,
      );
    }
    const now = new Date();
    const results: EntryResult[] = [];
    const accepted: JournalRecord[] = [];
    for (const raw of entries) {
      const checked = validateEntry(raw);
      if ('ErrorCode' in checked) {
        results.push(checked);
        continue;
      }
      const envelope = toEnvelope(checked, { region, accountId, now });
      const keys = rules.flatMap(({ rule, matches }) =>
        matches(envelope) ? rule.targets.map((target) => targetKey(rule.name, target.id)) : [],
      );
      if (keys.length > 0) accepted.push({ envelope, targets: keys, acceptedAt: now.getTime() });
      results.push({ EventId: envelope.id });
    }
    if (closed) throw new AwsError('InternalException', 'The local event bus is shutting down.', 503);
    // Owed before the append is queued, so a compaction queued meanwhile keeps them.
    for (const record of accepted) {
      owed.set(record.envelope.id, { record, remaining: new Set(record.targets), handled: new Set() });
    }
    try {
      // Durable before acknowledged.
      await store.appendJournal(accepted);
    } catch (error) {
      for (const record of accepted) owed.delete(record.envelope.id);
      throw error;
    }
    for (const record of accepted) schedule(record, record.targets);
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  };

  const send = (response: ServerResponse, status: number, payload: unknown) => {
    const body = Buffer.from(JSON.stringify(payload));
    response.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': body.byteLength,
      'x-amzn-requestid': randomUUID(),
    });
    response.end(body);
  };

  const sendError = (response: ServerResponse, error: AwsError) =>
    send(response, error.status, { __type: error.type, message: error.message });

  const respond = async (request: IncomingMessage, response: ServerResponse) => {
    const raw = await readBody(request, MAX_REQUEST_BYTES);
    if (request.method !== 'POST') {
      throw new AwsError(
        'UnknownOperationException',
        `The local event bus expects POST, not ${request.method}.`,
      );
    }
    const operation = String(request.headers['x-amz-target'] ?? '');
    if (operation !== 'AWSEvents.PutEvents') {
      throw new AwsError(
        'UnknownOperationException',
        `The local event bus supports only AWSEvents.PutEvents${operation ? `, not ${operation}` : ''}.`,
      );
    }
    if (raw === null) {
      throw new AwsError('ValidationException', `The request body exceeds ${MAX_REQUEST_BYTES} bytes.`, 413);
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new AwsError('SerializationException', 'The request body is not valid JSON.');
    }
    send(response, 200, await putEvents(body));
  };

  const server = createServer((request, response) => {
    respond(request, response).catch((error: unknown) => {
      if (response.headersSent) return;
      if (error instanceof AwsError) {
        sendError(response, error);
      } else {
        log(`[eventbridge] PutEvents failed: ${errorText(error)}`);
        sendError(
          response,
          new AwsError('InternalException', 'The local event bus failed to store the events.', 500),
        );
      }
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', failed);
      listening();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;

  for (const { record, pending } of recovered) schedule(record, pending);
  recovered = [];

  const flush = (): Promise<void> =>
    running === 0 || closed ? Promise.resolve() : new Promise((wake) => idleWaiters.push(wake));

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const stopped = new Promise<void>((done) => server.close(() => done()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), closeGraceMs);
      await stopped;
      clearTimeout(force);
      // From here nothing is checkpointed: unfinished deliveries stay owed in the journal.
      closed = true;
      shutdown.abort();
      settleIfIdle();
      if (inFlight.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.allSettled([...inFlight]),
          new Promise<void>((done) => {
            timer = setTimeout(done, closeGraceMs);
          }),
        ]);
        clearTimeout(timer);
      }
      await store.close();
    })();
    return closing;
  };

  return { endpoint: `http://${urlHost}:${port}`, port, busArn, flush, close };
};
