/**
 * A durable local SQS: an HTTP server speaking the SQS JSON protocol the AWS SDK v3 uses, and per
 * queue an optional consumer driven like Lambda's SQS event source (batches, partial batch
 * responses, visibility timeouts, redrive to a dead-letter queue).
 *
 * State lives in memory and, unless `dataDir` is null, in `<dataDir>/queues/`: a snapshot
 * (`state.json`, written to a temporary file, fsynced, renamed) plus an append-only journal of
 * every change since (`journal-<generation>.jsonl`, fsynced before the change is acknowledged).
 * Killing the process loses nothing: on start the snapshot is loaded and the journal replayed.
 * Times are stored as epoch milliseconds, so a message in flight when the process died becomes
 * visible when its visibility timeout ends, as in SQS.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { LOCAL_REGION } from './table.js';

/** A Lambda SQS handler: resolves with nothing, or with the messages that failed. */
export type QueueConsumer = (event: SQSEvent) => Promise<SQSBatchResponse | undefined> | Promise<void>;

export interface LocalQueueConfig {
  /** 1–80 characters: letters, digits, `-` and `_` (standard queues only). */
  name: string;
  /** The queue's default visibility timeout, 0–43 200 s. */
  visibilityTimeoutSeconds: number;
  /** With `deadLetterQueue`: receives after which a message moves there (the redrive policy). */
  maxReceiveCount?: number;
  /** Name of another configured queue. */
  deadLetterQueue?: string;
  /** Records per consumer invocation. */
  batchSize: number;
  /** Invoked like a Lambda function subscribed to the queue. */
  consumer?: QueueConsumer;
  /** Batches the consumer may be handling at once (Lambda runs several); 1 when omitted. */
  maxConcurrency?: number;
  /** Longest sleep of the consumer loop when nothing is visible (it also wakes on every send). */
  pollIntervalMs?: number;
  /** Multiplies every delay, visibility timeout and the retention period (tests use e.g. 0.01). */
  timeScale?: number;
  /** How long a message is kept, 60–1 209 600 s; SQS's default of 4 days when omitted. */
  messageRetentionSeconds?: number;
}

export interface LocalQueuesOptions {
  /** State goes to `<dataDir>/queues/`; `null` keeps it in memory only. */
  dataDir: string | null;
  queues: LocalQueueConfig[];
  /** 0 or omitted: a free port. */
  port?: number;
  host?: string;
  region?: string;
  accountId?: string;
  log?: (line: string) => void;
}

export type PeekedState = 'visible' | 'inFlight' | 'delayed';

export interface PeekedMessage {
  messageId: string;
  body: string;
  messageAttributes: Record<string, MessageAttributeValue>;
  receiveCount: number;
  sentTimestamp: number;
  /** When it becomes (or became) visible, epoch ms. */
  visibleAt: number;
  state: PeekedState;
}

export interface LocalQueues {
  /** `http://<host>:<port>`: the SQSClient `endpoint`. */
  endpoint: string;
  port: number;
  queueUrl(name: string): string;
  queueArn(name: string): string;
  /**
   * Resolves once the named queue (without a name: every queue with a consumer) holds nothing
   * visible, in flight or delayed and no consumer invocation is running.
   */
  drain(name?: string): Promise<void>;
  /** A snapshot of a queue's messages, for tests. */
  peek(name: string): PeekedMessage[];
  /** Stops the consumers (letting running invocations finish), the server and the journal. */
  close(): Promise<void>;
}

/** A message attribute as the JSON protocol carries it (binary values in base64). */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export const DEFAULT_ACCOUNT_ID = '000000000000';
/** SQS's current maximum (1 MiB since August 2025), body plus attributes. */
export const MAX_MESSAGE_BYTES = 1_048_576;
const MAX_REQUEST_BYTES = 2 * MAX_MESSAGE_BYTES;
const DEFAULT_RETENTION_SECONDS = 4 * 24 * 60 * 60;
const MAX_VISIBILITY_SECONDS = 43_200;
const MAX_DELAY_SECONDS = 900;
const MAX_WAIT_SECONDS = 20;
const MAX_BATCH_ENTRIES = 10;
const DEFAULT_POLL_INTERVAL_MS = 1_000;
const LONG_POLL_RECHECK_MS = 25;
const DRAIN_RECHECK_MS = 10;
/** Journal entries after which the state is rewritten as a snapshot and the journal restarted. */
const COMPACT_AFTER_ENTRIES = 2_000;
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const SYSTEM_ATTRIBUTES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
] as const;
const QUEUE_ATTRIBUTES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'DelaySeconds',
  'LastModifiedTimestamp',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'QueueArn',
  'ReceiveMessageWaitTimeSeconds',
  'RedrivePolicy',
  'SqsManagedSseEnabled',
  'VisibilityTimeout',
] as const;

// ---------------------------------------------------------------------------------------------
// Errors, named as the SDK's deserializer expects them

/**
 * An SQS error. The SDK (awsJson1_0 with awsQueryCompatible) takes the error code from the
 * `x-amzn-query-error` header (`<query code>;Sender`) first and maps it to the modelled
 * exception whose `awsQueryError` trait carries that code (e.g. AWS.SimpleQueueService.
 * NonExistentQueue → QueueDoesNotExist); `__type` is what SQS sends alongside.
 */
class SqsError extends Error {
  constructor(
    readonly shape: string,
    readonly queryCode: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const errors = {
  queueDoesNotExist: () =>
    new SqsError(
      'QueueDoesNotExist',
      'AWS.SimpleQueueService.NonExistentQueue',
      400,
      'The specified queue does not exist.',
    ),
  receiptHandleIsInvalid: (handle: string) =>
    new SqsError(
      'ReceiptHandleIsInvalid',
      'ReceiptHandleIsInvalid',
      404,
      `The input receipt handle "${handle}" is not a valid receipt handle.`,
    ),
  messageNotInflight: () =>
    new SqsError(
      'MessageNotInflight',
      'AWS.SimpleQueueService.MessageNotInflight',
      400,
      'Message not inflight.',
    ),
  tooManyEntries: (count: number) =>
    new SqsError(
      'TooManyEntriesInBatchRequest',
      'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
      400,
      `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${count}.`,
    ),
  emptyBatch: () =>
    new SqsError(
      'EmptyBatchRequest',
      'AWS.SimpleQueueService.EmptyBatchRequest',
      400,
      'There should be at least one entry in the request.',
    ),
  idsNotDistinct: (id: string) =>
    new SqsError(
      'BatchEntryIdsNotDistinct',
      'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
      400,
      `Id ${id} repeated.`,
    ),
  invalidBatchEntryId: () =>
    new SqsError(
      'InvalidBatchEntryId',
      'AWS.SimpleQueueService.InvalidBatchEntryId',
      400,
      'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
    ),
  batchTooLong: () =>
    new SqsError(
      'BatchRequestTooLong',
      'AWS.SimpleQueueService.BatchRequestTooLong',
      400,
      `Batch requests cannot be longer than ${MAX_MESSAGE_BYTES} bytes.`,
    ),
  invalidAttributeName: (name: string) =>
    new SqsError('InvalidAttributeName', 'InvalidAttributeName', 400, `Unknown Attribute ${name}.`),
  invalidMessageContents: () =>
    new SqsError(
      'InvalidMessageContents',
      'InvalidMessageContents',
      400,
      'Invalid binary character in the message body or attributes.',
    ),
  invalidParameter: (message: string) =>
    new SqsError('InvalidParameterValue', 'InvalidParameterValue', 400, message),
  missingParameter: (name: string) =>
    new SqsError(
      'MissingParameter',
      'MissingParameter',
      400,
      `The request must contain the parameter ${name}.`,
    ),
  unsupportedOperation: (operation: string) =>
    new SqsError(
      'UnsupportedOperation',
      'AWS.SimpleQueueService.UnsupportedOperation',
      400,
      `${operation} is not supported by the local queue.`,
    ),
};

// ---------------------------------------------------------------------------------------------
// Checksums

const md5Hex = (data: Buffer | string) => createHash('md5').update(data).digest('hex');

/**
 * SQS's MD5 of message attributes: for each attribute, sorted by name, the name, the data type
 * and the value, each as a 4-byte big-endian length followed by the bytes, with a transport
 * byte (1 string, 2 binary) before the value.
 */
export const md5OfMessageAttributes = (attributes: Record<string, MessageAttributeValue>): string => {
  const parts: Buffer[] = [];
  const lengthPrefixed = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.byteLength);
    parts.push(length, bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const attribute = attributes[name];
    if (!attribute) continue;
    lengthPrefixed(Buffer.from(name, 'utf8'));
    lengthPrefixed(Buffer.from(attribute.DataType, 'utf8'));
    if (attribute.BinaryValue !== undefined) {
      parts.push(Buffer.from([2]));
      lengthPrefixed(Buffer.from(attribute.BinaryValue, 'base64'));
    } else {
      parts.push(Buffer.from([1]));
      lengthPrefixed(Buffer.from(attribute.StringValue ?? '', 'utf8'));
    }
  }
  return md5Hex(Buffer.concat(parts));
};

// ---------------------------------------------------------------------------------------------
// State and journal

interface StoredMessage {
  id: string;
  body: string;
  md5OfBody: string;
  attributes: Record<string, MessageAttributeValue>;
  md5OfAttributes: string | null;
  traceHeader: string | null;
  senderId: string;
  sentAt: number;
  /** Epoch ms: later than now while delayed or in flight. */
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt: number | null;
  /** The nonce of the latest receipt handle; null until first received. */
  receipt: string | null;
  deadLetterSourceArn: string | null;
}

type JournalEntry =
  | { op: 'send'; queue: string; message: StoredMessage }
  | {
      op: 'receive';
      queue: string;
      id: string;
      receipt: string;
      visibleAt: number;
      receiveCount: number;
      firstReceivedAt: number;
    }
  | { op: 'visibility'; queue: string; id: string; visibleAt: number }
  | { op: 'delete'; queue: string; id: string }
  | { op: 'move'; queue: string; to: string; id: string; at: number; sourceArn: string }
  | { op: 'purge'; queue: string };

interface Snapshot {
  version: 1;
  generation: number;
  queues: Record<string, StoredMessage[]>;
}

type QueueMessages = Map<string, Map<string, StoredMessage>>;

const applyEntry = (queues: QueueMessages, entry: JournalEntry): void => {
  const messages = queues.get(entry.queue);
  if (!messages) return;
  switch (entry.op) {
    case 'send':
      messages.set(entry.message.id, entry.message);
      return;
    case 'receive': {
      const message = messages.get(entry.id);
      if (!message) return;
      message.receipt = entry.receipt;
      message.visibleAt = entry.visibleAt;
      message.receiveCount = entry.receiveCount;
      message.firstReceivedAt = entry.firstReceivedAt;
      return;
    }
    case 'visibility': {
      const message = messages.get(entry.id);
      if (message) message.visibleAt = entry.visibleAt;
      return;
    }
    case 'delete':
      messages.delete(entry.id);
      return;
    case 'move': {
      const message = messages.get(entry.id);
      if (!message) return;
      messages.delete(entry.id);
      queues.get(entry.to)?.set(message.id, {
        ...message,
        visibleAt: entry.at,
        receiveCount: 0,
        firstReceivedAt: null,
        receipt: null,
        deadLetterSourceArn: entry.sourceArn,
      });
      return;
    }
    case 'purge':
      messages.clear();
      return;
  }
};

const fsyncDirectory = (dir: string) => {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not every platform can fsync a directory; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
};

/** Writes `text` to `file` atomically and durably: temporary file, fsync, rename, fsync dir. */
export const writeFileDurably = (file: string, text: string): void => {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
  fsyncDirectory(resolve(file, '..'));
};

/** The on-disk half: snapshot + journal, or nothing when memory only. */
class Store {
  private fd: number | null = null;
  private generation = 0;
  private entriesSinceCompaction = 0;

  constructor(
    private readonly dir: string | null,
    private readonly queues: QueueMessages,
    private readonly log: (line: string) => void,
  ) {}

  private journalPath(generation: number) {
    return join(this.dir ?? '', `journal-${generation}.jsonl`);
  }

  /** Loads the snapshot, replays the journal, then compacts into a fresh generation. */
  open(): void {
    if (this.dir === null) return;
    mkdirSync(this.dir, { recursive: true });
    const statePath = join(this.dir, 'state.json');
    if (existsSync(statePath)) {
      const snapshot = JSON.parse(readFileSync(statePath, 'utf8')) as Snapshot;
      if (snapshot.version !== 1)
        throw new Error(`${statePath}: unknown version ${String(snapshot.version)}`);
      this.generation = snapshot.generation;
      for (const [name, messages] of Object.entries(snapshot.queues)) {
        const target = this.queues.get(name);
        if (!target) {
          if (messages.length > 0)
            this.log(`queue ${name} is no longer configured: ${messages.length} dropped`);
          continue;
        }
        for (const message of messages) target.set(message.id, message);
      }
    }
    const journal = this.journalPath(this.generation);
    if (existsSync(journal)) {
      const lines = readFileSync(journal, 'utf8').split('\n');
      lines.forEach((line, index) => {
        if (line.trim() === '') return;
        let entry: JournalEntry;
        try {
          entry = JSON.parse(line) as JournalEntry;
        } catch (error) {
          // Only the very last line can be torn (the process died while appending it, so the
          // change it describes was never acknowledged).
          if (lines.slice(index + 1).every((rest) => rest.trim() === '')) return;
          throw new Error(`${journal}: line ${index + 1} is corrupt: ${String(error)}`);
        }
        applyEntry(this.queues, entry);
      });
    }
    this.compact();
  }

  /** Appends the entries with one write and one fsync. */
  append(entries: JournalEntry[]): void {
    if (this.dir === null || this.fd === null || entries.length === 0) return;
    writeSync(this.fd, entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
    fsyncSync(this.fd);
    this.entriesSinceCompaction += entries.length;
    if (this.entriesSinceCompaction >= COMPACT_AFTER_ENTRIES) this.compact();
  }

  /** Snapshot of the current state under the next generation, then a new empty journal. */
  compact(): void {
    if (this.dir === null) return;
    const next = this.generation + 1;
    const snapshot: Snapshot = {
      version: 1,
      generation: next,
      queues: Object.fromEntries([...this.queues].map(([name, messages]) => [name, [...messages.values()]])),
    };
    writeFileDurably(join(this.dir, 'state.json'), JSON.stringify(snapshot));
    if (this.fd !== null) closeSync(this.fd);
    this.fd = openSync(this.journalPath(next), 'a');
    fsyncDirectory(this.dir);
    this.generation = next;
    this.entriesSinceCompaction = 0;
    // Journals of earlier generations are folded into the snapshot.
    for (const file of readdirSync(this.dir)) {
      const match = /^journal-(\d+)\.jsonl$/.exec(file);
      if (match && Number(match[1]) !== next) unlinkSync(join(this.dir, file));
      if (file.endsWith('.tmp')) unlinkSync(join(this.dir, file));
    }
  }

  close(): void {
    if (this.dir === null || this.fd === null) return;
    this.compact();
    closeSync(this.fd);
    this.fd = null;
  }
}

// ---------------------------------------------------------------------------------------------
// Validation helpers

type Json = Record<string, unknown>;

const optionalString = (input: Json, name: string): string | undefined => {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw errors.invalidParameter(`Value for parameter ${name} is invalid.`);
  return value;
};

const requiredString = (input: Json, name: string): string => {
  const value = optionalString(input, name);
  if (value === undefined) throw errors.missingParameter(name);
  return value;
};

const optionalInteger = (input: Json, name: string, min: number, max: number): number | undefined => {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw errors.invalidParameter(
      `Value ${String(value)} for parameter ${name} is invalid. Reason: must be between ${min} and ${max}.`,
    );
  }
  return value;
};

const stringList = (input: Json, name: string): string[] => {
  const value = input[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw errors.invalidParameter(`Value for parameter ${name} is invalid.`);
  }
  return value;
};

const entriesOf = (input: Json): Json[] => {
  const value = input.Entries;
  if (value === undefined || value === null) throw errors.missingParameter('Entries');
  if (!Array.isArray(value)) throw errors.invalidParameter('Value for parameter Entries is invalid.');
  if (value.length === 0) throw errors.emptyBatch();
  if (value.length > MAX_BATCH_ENTRIES) throw errors.tooManyEntries(value.length);
  const seen = new Set<string>();
  for (const entry of value) {
    if (typeof entry !== 'object' || entry === null) {
      throw errors.invalidParameter('Value for parameter Entries is invalid.');
    }
    const id = (entry as Json).Id;
    if (typeof id !== 'string' || !BATCH_ENTRY_ID.test(id)) throw errors.invalidBatchEntryId();
    if (seen.has(id)) throw errors.idsNotDistinct(id);
    seen.add(id);
  }
  return value as Json[];
};

/** The characters SQS accepts: #x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD | #x10000–#x10FFFF. */
const INVALID_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const DATA_TYPE = /^(String|Number|Binary)(\.[^\s]+)?$/;

const parseMessageAttributes = (raw: unknown): Record<string, MessageAttributeValue> => {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw errors.invalidParameter('Value for parameter MessageAttributes is invalid.');
  }
  const entries = Object.entries(raw as Json);
  if (entries.length > 10) {
    throw errors.invalidParameter(
      `Number of message attributes [${entries.length}] exceeds the allowed maximum [10].`,
    );
  }
  const result: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of entries) {
    if (
      !ATTRIBUTE_NAME.test(name) ||
      /^(aws\.|amazon\.)/i.test(name) ||
      name.startsWith('.') ||
      name.endsWith('.') ||
      name.includes('..')
    ) {
      throw errors.invalidParameter(`Message attribute name '${name}' is invalid.`);
    }
    if (typeof value !== 'object' || value === null) {
      throw errors.invalidParameter(`The message attribute '${name}' is invalid.`);
    }
    const attribute = value as Json;
    const dataType = attribute.DataType;
    if (typeof dataType !== 'string' || dataType.length > 256 || !DATA_TYPE.test(dataType)) {
      throw errors.invalidParameter(`The message attribute '${name}' has an invalid message attribute type.`);
    }
    const base = dataType.split('.')[0];
    if (base === 'Binary') {
      const binary = attribute.BinaryValue;
      if (typeof binary !== 'string' || binary === '') {
        throw errors.invalidParameter(
          `The message attribute '${name}' must contain non-empty message attribute value for message attribute type 'Binary'.`,
        );
      }
      result[name] = { DataType: dataType, BinaryValue: binary };
    } else {
      const text = attribute.StringValue;
      if (typeof text !== 'string' || text === '') {
        throw errors.invalidParameter(
          `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${base}'.`,
        );
      }
      if (INVALID_CHARACTER.test(text)) throw errors.invalidMessageContents();
      if (base === 'Number' && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim())) {
        throw errors.invalidParameter(
          `Can't cast the value of message (user) attribute '${name}' to a number.`,
        );
      }
      result[name] = { DataType: dataType, StringValue: text };
    }
  }
  return result;
};

const attributesSize = (attributes: Record<string, MessageAttributeValue>) =>
  Object.entries(attributes).reduce(
    (sum, [name, value]) =>
      sum +
      Buffer.byteLength(name) +
      Buffer.byteLength(value.DataType) +
      (value.BinaryValue !== undefined
        ? Buffer.from(value.BinaryValue, 'base64').byteLength
        : Buffer.byteLength(value.StringValue ?? '')),
    0,
  );

/** Message attribute names a receiver asked for: `All`, `.*`, `prefix.*` or exact names. */
const selectAttributes = (
  attributes: Record<string, MessageAttributeValue>,
  requested: string[],
): Record<string, MessageAttributeValue> => {
  const selected: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const wanted = requested.some(
      (pattern) =>
        pattern === 'All' ||
        pattern === '.*' ||
        pattern === name ||
        (pattern.endsWith('.*') && name.startsWith(pattern.slice(0, -1))),
    );
    if (wanted) selected[name] = value;
  }
  return selected;
};

// ---------------------------------------------------------------------------------------------
// The queues

interface Queue {
  config: LocalQueueConfig;
  messages: Map<string, StoredMessage>;
  scale: number;
  retentionMs: number;
  createdAt: number;
  /** Wakes the idle consumer workers (after a send, a visibility change, on close). */
  wake: () => void;
  wakers: Set<() => void>;
  /** Consumer workers between a receive and the end of the invocation it led to. */
  activeWorkers: number;
}

const encodeReceipt = (queue: string, id: string, nonce: string) =>
  Buffer.from(`${queue}\n${id}\n${nonce}`, 'utf8').toString('base64url');

const decodeReceipt = (handle: string): { queue: string; id: string; nonce: string } | null => {
  if (!/^[A-Za-z0-9_-]+$/.test(handle)) return null;
  const parts = Buffer.from(handle, 'base64url').toString('utf8').split('\n');
  if (parts.length !== 3 || parts.some((part) => part === '')) return null;
  const [queue = '', id = '', nonce = ''] = parts;
  return { queue, id, nonce };
};

const validateConfigs = (configs: LocalQueueConfig[]) => {
  const names = new Set<string>();
  for (const config of configs) {
    if (!QUEUE_NAME.test(config.name)) throw new Error(`Queue name "${config.name}" is not valid`);
    if (names.has(config.name)) throw new Error(`Queue "${config.name}" is configured twice`);
    names.add(config.name);
    const visibility = config.visibilityTimeoutSeconds;
    if (!Number.isInteger(visibility) || visibility < 0 || visibility > MAX_VISIBILITY_SECONDS) {
      throw new Error(`Queue ${config.name}: visibilityTimeoutSeconds must be 0–${MAX_VISIBILITY_SECONDS}`);
    }
    if (!Number.isInteger(config.batchSize) || config.batchSize < 1 || config.batchSize > 10_000) {
      throw new Error(`Queue ${config.name}: batchSize must be 1–10000`);
    }
    if (
      config.maxConcurrency !== undefined &&
      (!Number.isInteger(config.maxConcurrency) || config.maxConcurrency < 1 || config.maxConcurrency > 1000)
    ) {
      throw new Error(`Queue ${config.name}: maxConcurrency must be 1–1000`);
    }
    if (config.timeScale !== undefined && !(config.timeScale > 0)) {
      throw new Error(`Queue ${config.name}: timeScale must be positive`);
    }
    if (
      config.maxReceiveCount !== undefined &&
      (!Number.isInteger(config.maxReceiveCount) || config.maxReceiveCount < 1)
    ) {
      throw new Error(`Queue ${config.name}: maxReceiveCount must be a positive integer`);
    }
  }
  for (const config of configs) {
    if (config.deadLetterQueue === undefined) continue;
    if (!names.has(config.deadLetterQueue) || config.deadLetterQueue === config.name) {
      throw new Error(
        `Queue ${config.name}: dead-letter queue "${config.deadLetterQueue}" is not configured`,
      );
    }
    if (config.maxReceiveCount === undefined) {
      throw new Error(`Queue ${config.name}: a dead-letter queue needs maxReceiveCount`);
    }
  }
};

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

const errorText = (error: unknown) =>
  error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);

/** Starts the queues, their consumers and the HTTP endpoint. */
export const startLocalQueues = async (options: LocalQueuesOptions): Promise<LocalQueues> => {
  validateConfigs(options.queues);
  const region = options.region ?? LOCAL_REGION;
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((line: string) => console.error(line));
  const startedAt = Date.now();

  const queues = new Map<string, Queue>();
  const allMessages: QueueMessages = new Map();
  for (const config of options.queues) {
    const messages = new Map<string, StoredMessage>();
    const scale = config.timeScale ?? 1;
    const queue: Queue = {
      config,
      messages,
      scale,
      retentionMs: (config.messageRetentionSeconds ?? DEFAULT_RETENTION_SECONDS) * 1000 * scale,
      createdAt: startedAt,
      wake: () => {
        for (const waker of [...queue.wakers]) waker();
      },
      wakers: new Set(),
      activeWorkers: 0,
    };
    queues.set(config.name, queue);
    allMessages.set(config.name, messages);
  }

  const store = new Store(
    options.dataDir === null ? null : join(resolve(options.dataDir), 'queues'),
    allMessages,
    log,
  );
  store.open();

  /** Journals the entries (durably, when there is a data dir), then applies them. */
  const commit = (...entries: JournalEntry[]) => {
    store.append(entries);
    for (const entry of entries) applyEntry(allMessages, entry);
  };

  const arnOf = (name: string) => `arn:aws:sqs:${region}:${accountId}:${name}`;
  let endpoint = '';
  const urlOf = (name: string) => `${endpoint}/${accountId}/${name}`;

  const queueNamed = (name: string): Queue => {
    const queue = queues.get(name);
    if (!queue) throw errors.queueDoesNotExist();
    return queue;
  };

  /** Any URL whose path is `/<account>/<name>` names the queue (hosts differ between clients). */
  const queueFromUrl = (url: string): Queue => {
    let path: string;
    try {
      path = new URL(url).pathname;
    } catch {
      path = url;
    }
    const match = /^\/?([^/]+)\/([^/]+)\/?$/.exec(path);
    if (!match || match[1] !== accountId) throw errors.queueDoesNotExist();
    return queueNamed(match[2] ?? '');
  };

  const scaledMs = (queue: Queue, seconds: number) => seconds * 1000 * queue.scale;

  const stateOf = (message: StoredMessage, now: number): PeekedState =>
    message.visibleAt <= now ? 'visible' : message.receipt === null ? 'delayed' : 'inFlight';

  const dropExpired = (queue: Queue, now: number) => {
    const expired: JournalEntry[] = [];
    for (const message of queue.messages.values()) {
      if (now - message.sentAt > queue.retentionMs) {
        expired.push({ op: 'delete', queue: queue.config.name, id: message.id });
      }
    }
    commit(...expired);
  };

  const send = (
    queue: Queue,
    body: string,
    attributes: Record<string, MessageAttributeValue>,
    delaySeconds: number,
    traceHeader: string | null,
  ): StoredMessage => {
    const now = Date.now();
    const message: StoredMessage = {
      id: randomUUID(),
      body,
      md5OfBody: md5Hex(Buffer.from(body, 'utf8')),
      attributes,
      md5OfAttributes: Object.keys(attributes).length > 0 ? md5OfMessageAttributes(attributes) : null,
      traceHeader,
      senderId: accountId,
      sentAt: now,
      visibleAt: now + scaledMs(queue, delaySeconds),
      receiveCount: 0,
      firstReceivedAt: null,
      receipt: null,
      deadLetterSourceArn: null,
    };
    commit({ op: 'send', queue: queue.config.name, message });
    queue.wake();
    return message;
  };

  /**
   * Up to `max` visible messages, now in flight for `visibilitySeconds`. A visible message
   * already received maxReceiveCount times moves to the dead-letter queue instead (SQS does
   * this on the receive that would exceed the count).
   */
  const receive = (queue: Queue, max: number, visibilitySeconds: number): StoredMessage[] => {
    const now = Date.now();
    dropExpired(queue, now);
    const received: StoredMessage[] = [];
    const entries: JournalEntry[] = [];
    const { deadLetterQueue, maxReceiveCount } = queue.config;
    for (const message of queue.messages.values()) {
      if (received.length >= max) break;
      if (message.visibleAt > now) continue;
      if (
        deadLetterQueue !== undefined &&
        maxReceiveCount !== undefined &&
        message.receiveCount >= maxReceiveCount
      ) {
        entries.push({
          op: 'move',
          queue: queue.config.name,
          to: deadLetterQueue,
          id: message.id,
          at: now,
          sourceArn: arnOf(queue.config.name),
        });
        continue;
      }
      entries.push({
        op: 'receive',
        queue: queue.config.name,
        id: message.id,
        receipt: randomBytes(12).toString('hex'),
        visibleAt: now + scaledMs(queue, visibilitySeconds),
        receiveCount: message.receiveCount + 1,
        firstReceivedAt: message.firstReceivedAt ?? now,
      });
      received.push(message);
    }
    commit(...entries);
    for (const entry of entries) {
      if (entry.op !== 'move') continue;
      log(`${queue.config.name}: message ${entry.id} moved to ${entry.to} after ${maxReceiveCount} receives`);
      queues.get(entry.to)?.wake();
    }
    return received;
  };

  const messageFor = (queue: Queue, handle: string): StoredMessage | undefined => {
    const receipt = decodeReceipt(handle);
    if (!receipt || receipt.queue !== queue.config.name) throw errors.receiptHandleIsInvalid(handle);
    return queue.messages.get(receipt.id);
  };

  const deleteByHandle = (queue: Queue, handle: string) => {
    // As in SQS, deleting with an older handle of a message still deletes it, and deleting a
    // message that is already gone succeeds.
    const message = messageFor(queue, handle);
    if (message) commit({ op: 'delete', queue: queue.config.name, id: message.id });
  };

  const changeVisibility = (queue: Queue, handle: string, seconds: number) => {
    const receipt = decodeReceipt(handle);
    const message = messageFor(queue, handle);
    if (!message || message.receipt === null) {
      throw errors.invalidParameter(
        `Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
      );
    }
    if (message.receipt !== receipt?.nonce) {
      throw errors.invalidParameter(
        `Value ${handle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
      );
    }
    const now = Date.now();
    if (message.visibleAt <= now) throw errors.messageNotInflight();
    commit({
      op: 'visibility',
      queue: queue.config.name,
      id: message.id,
      visibleAt: now + scaledMs(queue, seconds),
    });
    queue.wake();
  };

  const counts = (queue: Queue, now: number) => {
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const message of queue.messages.values()) {
      const state = stateOf(message, now);
      if (state === 'visible') visible++;
      else if (state === 'inFlight') inFlight++;
      else delayed++;
    }
    return { visible, inFlight, delayed };
  };

  // ---- the operations -------------------------------------------------------------------------

  const systemAttributesOf = (message: StoredMessage): Record<string, string> => {
    const attributes: Record<string, string> = {
      SenderId: message.senderId,
      SentTimestamp: String(message.sentAt),
      ApproximateReceiveCount: String(message.receiveCount),
      ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
    };
    if (message.traceHeader !== null) attributes.AWSTraceHeader = message.traceHeader;
    if (message.deadLetterSourceArn !== null)
      attributes.DeadLetterQueueSourceArn = message.deadLetterSourceArn;
    return attributes;
  };

  const receiptOf = (queue: Queue, message: StoredMessage) =>
    encodeReceipt(queue.config.name, message.id, message.receipt ?? '');

  const parseSend = (input: Json, queue: Queue) => {
    const body = requiredString(input, 'MessageBody');
    if (body === '') throw errors.missingParameter('MessageBody');
    if (INVALID_CHARACTER.test(body)) throw errors.invalidMessageContents();
    if (optionalString(input, 'MessageDeduplicationId') !== undefined) {
      throw errors.invalidParameter(
        'The request includes a parameter that is not valid for this queue type: MessageDeduplicationId.',
      );
    }
    const delay = optionalInteger(input, 'DelaySeconds', 0, MAX_DELAY_SECONDS) ?? 0;
    const attributes = parseMessageAttributes(input.MessageAttributes);
    const system = input.MessageSystemAttributes as Json | undefined;
    const trace = (system?.AWSTraceHeader as Json | undefined)?.StringValue;
    const size = Buffer.byteLength(body) + attributesSize(attributes);
    if (size > MAX_MESSAGE_BYTES) {
      throw errors.invalidParameter(
        `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_MESSAGE_BYTES} bytes.`,
      );
    }
    return { body, attributes, delay, trace: typeof trace === 'string' ? trace : null, size, queue };
  };

  const sendResult = (message: StoredMessage) => ({
    MessageId: message.id,
    MD5OfMessageBody: message.md5OfBody,
    ...(message.md5OfAttributes !== null ? { MD5OfMessageAttributes: message.md5OfAttributes } : {}),
    ...(message.traceHeader !== null
      ? {
          MD5OfMessageSystemAttributes: md5OfMessageAttributes({
            AWSTraceHeader: { DataType: 'String', StringValue: message.traceHeader },
          }),
        }
      : {}),
  });

  const batchFailure = (id: string, error: unknown) => {
    if (error instanceof SqsError) {
      return { Id: id, SenderFault: true, Code: error.queryCode, Message: error.message };
    }
    return { Id: id, SenderFault: false, Code: 'InternalError', Message: String(error) };
  };

  let closing = false;
  const longPolls = new Set<() => void>();

  const operations: Record<string, (input: Json) => Promise<Json> | Json> = {
    GetQueueUrl: (input) => {
      const name = requiredString(input, 'QueueName');
      const owner = optionalString(input, 'QueueOwnerAWSAccountId');
      if (owner !== undefined && owner !== accountId) throw errors.queueDoesNotExist();
      return { QueueUrl: urlOf(queueNamed(name).config.name) };
    },
    ListQueues: (input) => {
      const prefix = optionalString(input, 'QueueNamePrefix') ?? '';
      return { QueueUrls: [...queues.keys()].filter((name) => name.startsWith(prefix)).map(urlOf) };
    },
    GetQueueAttributes: (input) => {
      const queue = queueFromUrl(requiredString(input, 'QueueUrl'));
      const requested = stringList(input, 'AttributeNames');
      const names = requested.includes('All') ? [...QUEUE_ATTRIBUTES] : requested;
      const now = Date.now();
      dropExpired(queue, now);
      const { visible, inFlight, delayed } = counts(queue, now);
      const { config } = queue;
      const values: Record<string, string | undefined> = {
        ApproximateNumberOfMessages: String(visible),
        ApproximateNumberOfMessagesNotVisible: String(inFlight),
        ApproximateNumberOfMessagesDelayed: String(delayed),
        CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
        DelaySeconds: '0',
        LastModifiedTimestamp: String(Math.floor(queue.createdAt / 1000)),
        MaximumMessageSize: String(MAX_MESSAGE_BYTES),
        MessageRetentionPeriod: String(config.messageRetentionSeconds ?? DEFAULT_RETENTION_SECONDS),
        QueueArn: arnOf(config.name),
        ReceiveMessageWaitTimeSeconds: '0',
        RedrivePolicy:
          config.deadLetterQueue !== undefined
            ? JSON.stringify({
                deadLetterTargetArn: arnOf(config.deadLetterQueue),
                maxReceiveCount: config.maxReceiveCount,
              })
            : undefined,
        SqsManagedSseEnabled: 'false',
        VisibilityTimeout: String(config.visibilityTimeoutSeconds),
      };
      const attributes: Record<string, string> = {};
      for (const name of names) {
        if (!(QUEUE_ATTRIBUTES as readonly string[]).includes(name)) throw errors.invalidAttributeName(name);
        const value = values[name];
        if (value !== undefined) attributes[name] = value;
      }
      return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
    },
    SendMessage: (input) => {
      const queue = queueFromUrl(requiredString(input, 'QueueUrl'));
      const parsed = parseSend(input, queue);
      return sendResult(send(queue, parsed.body, parsed.attributes, parsed.delay, parsed.trace));
    },
    SendMessageBatch: (input) => {
      const queue = queueFromUrl(requiredString(input, 'QueueUrl'));
      const entries = entriesOf(input);
      const Successful: Json[] = [];
      const Failed: Json[] = [];
      const parsed: { id: string; value: ReturnType<typeof parseSend> }[] = [];
      for (const entry of entries) {
        const id = entry.Id as string;
        try {
          parsed.push({ id, value: parseSend(entry, queue) });
        } catch (error) {
          Failed.push(batchFailure(id, error));
        }
      }
      if (parsed.reduce((sum, { value }) => sum + value.size, 0) > MAX_MESSAGE_BYTES)
        throw errors.batchTooLong();
      for (const { id, value } of parsed) {
        Successful.push({
          Id: id,
          ...sendResult(send(queue, value.body, value.attributes, value.delay, value.trace)),
        });
      }
      return { Successful, Failed };
    },
    ReceiveMessage: async (input) => {
      const queue = queueFromUrl(requiredString(input, 'QueueUrl'));
      const max = optionalInteger(input, 'MaxNumberOfMessages', 1, 10) ?? 1;
      const visibility =
        optionalInteger(input, 'VisibilityTimeout', 0, MAX_VISIBILITY_SECONDS) ??
        queue.config.visibilityTimeoutSeconds;
      const waitSeconds = optionalInteger(input, 'WaitTimeSeconds', 0, MAX_WAIT_SECONDS) ?? 0;
      const systemNames = [
        ...stringList(input, 'AttributeNames'),
        ...stringList(input, 'MessageSystemAttributeNames'),
      ];
      for (const name of systemNames) {
        if (name !== 'All' && !(SYSTEM_ATTRIBUTES as readonly string[]).includes(name)) {
          throw errors.invalidAttributeName(name);
        }
      }
      const attributeNames = stringList(input, 'MessageAttributeNames');

      let messages = receive(queue, max, visibility);
      if (messages.length === 0 && waitSeconds > 0) {
        // Long polling: answer as soon as something is visible, or empty at the deadline / close.
        const deadline = Date.now() + waitSeconds * 1000;
        let cancelled = false;
        const cancel = () => {
          cancelled = true;
        };
        longPolls.add(cancel);
        try {
          while (!cancelled && !closing && Date.now() < deadline && messages.length === 0) {
            await sleep(Math.min(LONG_POLL_RECHECK_MS, Math.max(0, deadline - Date.now())));
            if (!cancelled && !closing) messages = receive(queue, max, visibility);
          }
        } finally {
          longPolls.delete(cancel);
        }
      }
      if (messages.length === 0) return {};
      return {
        Messages: messages.map((message) => {
          const system = systemAttributesOf(message);
          const wanted = systemNames.includes('All')
            ? system
            : Object.fromEntries(Object.entries(system).filter(([name]) => systemNames.includes(name)));
          const attributes = selectAttributes(message.attributes, attributeNames);
          const hasAttributes = Object.keys(attributes).length > 0;
          return {
            MessageId: message.id,
            ReceiptHandle: receiptOf(queue, message),
            MD5OfBody: message.md5OfBody,
            Body: message.body,
            ...(Object.keys(wanted).length > 0 ? { Attributes: wanted } : {}),
            ...(hasAttributes
              ? { MD5OfMessageAttributes: md5OfMessageAttributes(attributes), MessageAttributes: attributes }
              : {}),
          };
        }),
      };
    },
    DeleteMessage: (input) => {
      const queue = queueFromUrl(requiredString(input, 'QueueUrl'));
      deleteByHandle(queue, requiredString(input, 'ReceiptHandle'));
      return {};
    },
    DeleteMessageBatch: (input) => {
      const queue = queueFromUrl(requiredString(input, 'QueueUrl'));
      const Successful: Json[] = [];
      const Failed: Json[] = [];
      for (const entry of entriesOf(input)) {
        const id = entry.Id as string;
        try {
          deleteByHandle(queue, requiredString(entry, 'ReceiptHandle'));
          Successful.push({ Id: id });
        } catch (error) {
          Failed.push(batchFailure(id, error));
        }
      }
      return { Successful, Failed };
    },
    ChangeMessageVisibility: (input) => {
      const queue = queueFromUrl(requiredString(input, 'QueueUrl'));
      const handle = requiredString(input, 'ReceiptHandle');
      const seconds = optionalInteger(input, 'VisibilityTimeout', 0, MAX_VISIBILITY_SECONDS);
      if (seconds === undefined) throw errors.missingParameter('VisibilityTimeout');
      changeVisibility(queue, handle, seconds);
      return {};
    },
    ChangeMessageVisibilityBatch: (input) => {
      const queue = queueFromUrl(requiredString(input, 'QueueUrl'));
      const Successful: Json[] = [];
      const Failed: Json[] = [];
      for (const entry of entriesOf(input)) {
        const id = entry.Id as string;
        try {
          const seconds = optionalInteger(entry, 'VisibilityTimeout', 0, MAX_VISIBILITY_SECONDS);
          if (seconds === undefined) throw errors.missingParameter('VisibilityTimeout');
          changeVisibility(queue, requiredString(entry, 'ReceiptHandle'), seconds);
          Successful.push({ Id: id });
        } catch (error) {
          Failed.push(batchFailure(id, error));
        }
      }
      return { Successful, Failed };
    },
    PurgeQueue: (input) => {
      const queue = queueFromUrl(requiredString(input, 'QueueUrl'));
      commit({ op: 'purge', queue: queue.config.name });
      return {};
    },
  };

  // ---- HTTP -----------------------------------------------------------------------------------

  const respond = (
    response: ServerResponse,
    status: number,
    body: Json,
    headers: Record<string, string> = {},
  ) => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': JSON_CONTENT_TYPE,
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
      ...headers,
    });
    response.end(text);
  };

  const respondError = (response: ServerResponse, error: SqsError) =>
    respond(
      response,
      error.status,
      { __type: `com.amazonaws.sqs#${error.shape}`, message: error.message },
      { 'x-amzn-query-error': `${error.queryCode};Sender` },
    );

  const readBody = (request: IncomingMessage): Promise<Buffer | null> =>
    new Promise((done, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      request.on('data', (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > MAX_REQUEST_BYTES) tooLarge = true;
        if (!tooLarge) chunks.push(chunk);
      });
      request.on('end', () => done(tooLarge ? null : Buffer.concat(chunks)));
      request.on('error', reject);
    });

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request);
    if (body === null) {
      respondError(
        response,
        errors.invalidParameter(`Request must be shorter than ${MAX_REQUEST_BYTES} bytes.`),
      );
      return;
    }
    const target = request.headers['x-amz-target'];
    const operation = typeof target === 'string' && target.startsWith('AmazonSQS.') ? target.slice(10) : '';
    const implementation = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
    if (request.method !== 'POST' || !implementation) {
      respondError(
        response,
        errors.unsupportedOperation(operation || `${request.method} without X-Amz-Target`),
      );
      return;
    }
    let input: unknown;
    try {
      input = body.byteLength === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      respondError(response, errors.invalidParameter('The request body is not valid JSON.'));
      return;
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      respondError(response, errors.invalidParameter('The request body must be a JSON object.'));
      return;
    }
    try {
      respond(response, 200, await implementation(input as Json));
    } catch (error) {
      if (error instanceof SqsError) {
        respondError(response, error);
        return;
      }
      log(`local queue: ${operation} failed: ${errorText(error)}`);
      respond(
        response,
        500,
        { __type: 'com.amazonaws.sqs#InternalError', message: 'We encountered an internal error.' },
        { 'x-amzn-query-error': 'InternalError;Receiver' },
      );
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(`local queue: ${errorText(error)}`);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((done, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.removeListener('error', reject);
      done();
    });
  });
  const port = (server.address() as AddressInfo).port;
  endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  // ---- consumers ------------------------------------------------------------------------------

  const toRecord = (queue: Queue, message: StoredMessage): SQSRecord => {
    const messageAttributes: SQSMessageAttributes = {};
    for (const [name, value] of Object.entries(message.attributes)) {
      messageAttributes[name] = {
        ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
        ...(value.BinaryValue !== undefined ? { binaryValue: value.BinaryValue } : {}),
        stringListValues: [],
        binaryListValues: [],
        dataType: value.DataType,
      };
    }
    const system = systemAttributesOf(message);
    return {
      messageId: message.id,
      receiptHandle: receiptOf(queue, message),
      body: message.body,
      attributes: {
        ApproximateReceiveCount: system.ApproximateReceiveCount ?? '1',
        SentTimestamp: system.SentTimestamp ?? '',
        SenderId: system.SenderId ?? '',
        ApproximateFirstReceiveTimestamp: system.ApproximateFirstReceiveTimestamp ?? '',
        ...(system.AWSTraceHeader !== undefined ? { AWSTraceHeader: system.AWSTraceHeader } : {}),
        ...(system.DeadLetterQueueSourceArn !== undefined
          ? { DeadLetterQueueSourceArn: system.DeadLetterQueueSourceArn }
          : {}),
      },
      messageAttributes,
      md5OfBody: message.md5OfBody,
      ...(message.md5OfAttributes !== null ? { md5OfMessageAttributes: message.md5OfAttributes } : {}),
      eventSource: 'aws:sqs',
      eventSourceARN: arnOf(queue.config.name),
      awsRegion: region,
    };
  };

  /** Lambda's reading of a partial batch response: ids to keep, or null for "all failed". */
  const failedIds = (result: unknown, records: SQSRecord[]): Set<string> | null => {
    if (result === undefined || result === null || typeof result !== 'object') return new Set();
    const failures = (result as { batchItemFailures?: unknown }).batchItemFailures;
    if (failures === undefined || failures === null) return new Set();
    if (!Array.isArray(failures)) return null;
    const ids = new Set<string>();
    const known = new Set(records.map((record) => record.messageId));
    for (const failure of failures) {
      const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
      if (typeof id !== 'string' || !known.has(id)) return null;
      ids.add(id);
    }
    return ids;
  };

  const nextWakeMs = (queue: Queue, fallback: number) => {
    const now = Date.now();
    let wait = fallback;
    for (const message of queue.messages.values()) {
      if (message.visibleAt > now) wait = Math.min(wait, message.visibleAt - now);
    }
    return Math.max(1, wait);
  };

  /** Sleeps until the next message may become visible (at most pollIntervalMs) or a wake. */
  const idle = (queue: Queue, pollInterval: number) =>
    new Promise<void>((done) => {
      if (closing) {
        done();
        return;
      }
      const finish = () => {
        clearTimeout(timer);
        queue.wakers.delete(finish);
        done();
      };
      const timer = setTimeout(finish, nextWakeMs(queue, pollInterval));
      queue.wakers.add(finish);
    });

  /** One poller of the event source: receive a batch, invoke, delete what succeeded. */
  const worker = async (queue: Queue, consumer: QueueConsumer) => {
    const pollInterval = queue.config.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    while (!closing) {
      queue.activeWorkers++;
      try {
        let batch: StoredMessage[];
        try {
          batch = receive(queue, queue.config.batchSize, queue.config.visibilityTimeoutSeconds);
        } catch (error) {
          log(`${queue.config.name}: receive failed: ${errorText(error)}`);
          batch = [];
        }
        if (batch.length === 0) {
          queue.activeWorkers--;
          try {
            await idle(queue, pollInterval);
          } finally {
            queue.activeWorkers++;
          }
          continue;
        }
        const records = batch.map((message) => toRecord(queue, message));
        let result: unknown;
        try {
          result = await consumer({ Records: records });
        } catch (error) {
          // Like Lambda: the whole batch stays in flight and comes back after its visibility timeout.
          log(
            `${queue.config.name}: consumer failed, ${records.length} message(s) will be retried: ${errorText(error)}`,
          );
          continue;
        }
        const failed = failedIds(result, records);
        if (failed === null) {
          log(`${queue.config.name}: invalid batchItemFailures, the whole batch will be retried`);
          continue;
        }
        try {
          commit(
            ...records
              .filter((record) => !failed.has(record.messageId) && queue.messages.has(record.messageId))
              .map(
                (record): JournalEntry => ({ op: 'delete', queue: queue.config.name, id: record.messageId }),
              ),
          );
        } catch (error) {
          log(`${queue.config.name}: deleting a handled batch failed: ${errorText(error)}`);
        }
      } finally {
        queue.activeWorkers--;
      }
    }
  };

  const loops = [...queues.values()].flatMap((queue) => {
    const consumer = queue.config.consumer;
    if (!consumer) return [];
    return Array.from({ length: queue.config.maxConcurrency ?? 1 }, () =>
      worker(queue, consumer).catch((error: unknown) =>
        log(`${queue.config.name}: consumer worker stopped: ${errorText(error)}`),
      ),
    );
  });

  // ---- the handle -----------------------------------------------------------------------------

  let closed: Promise<void> | null = null;
  return {
    endpoint,
    port,
    queueUrl: (name) => urlOf(queueNamed(name).config.name),
    queueArn: (name) => arnOf(queueNamed(name).config.name),
    peek: (name) => {
      const queue = queueNamed(name);
      const now = Date.now();
      return [...queue.messages.values()].map((message) => ({
        messageId: message.id,
        body: message.body,
        messageAttributes: structuredClone(message.attributes),
        receiveCount: message.receiveCount,
        sentTimestamp: message.sentAt,
        visibleAt: message.visibleAt,
        state: stateOf(message, now),
      }));
    },
    drain: async (name) => {
      const targets =
        name === undefined
          ? [...queues.values()].filter((queue) => queue.config.consumer !== undefined)
          : [queueNamed(name)];
      for (;;) {
        const now = Date.now();
        const busy = targets.some((queue) => queue.activeWorkers > 0 || queue.messages.size > 0);
        if (!busy) return;
        if (closing) throw new Error('The local queues were closed before they drained');
        for (const queue of targets) dropExpired(queue, now);
        await sleep(DRAIN_RECHECK_MS);
      }
    },
    close: () => {
      closed ??= (async () => {
        closing = true;
        for (const cancel of longPolls) cancel();
        for (const queue of queues.values()) queue.wake();
        await Promise.all(loops);
        await new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        });
        store.close();
      })();
      return closed;
    },
  };
};
