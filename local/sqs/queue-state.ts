/**
 * The queues' live state and the SQS semantics of its changes: send, receive (with the redrive to
 * a dead-letter queue), delete, visibility, retention. Every change goes through the journal first.
 * Times are epoch milliseconds, so a message in flight when the process died becomes visible when
 * its visibility timeout ends, as in SQS.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { Sleepers } from '../shared/sleepers.js';
import { md5Hex, md5OfMessageAttributes } from './checksums.js';
import { DEFAULT_RETENTION_SECONDS, type LocalQueueConfig } from './config.js';
import { errors } from './errors.js';
import { applyEntry, type JournalEntry, QueueJournal, type QueueMessages } from './journal.js';
import { decodeReceipt, type MessageAttributeValue, type StoredMessage, stateOf } from './message.js';

export interface Queue {
  config: LocalQueueConfig;
  messages: Map<string, StoredMessage>;
  scale: number;
  retentionMs: number;
  createdAt: number;
  /** The idle consumer workers, woken after a send, a visibility change and on close. */
  sleepers: Sleepers;
  /** Consumer workers between a receive and the end of the invocation it led to. */
  activeWorkers: number;
}

export interface QueueStateOptions {
  dataDir: string | null;
  configs: LocalQueueConfig[];
  region: string;
  accountId: string;
  log: (line: string) => void;
}

export class QueueState {
  readonly queues = new Map<string, Queue>();
  readonly region: string;
  readonly accountId: string;
  readonly log: (line: string) => void;
  /** Set once the server listens: queue URLs carry it. */
  endpoint = '';
  /** Set by close(): workers and long polls stop. */
  closing = false;
  /** Cancels the running long polls. */
  readonly longPolls = new Set<() => void>();
  private readonly allMessages: QueueMessages = new Map();
  private readonly journal: QueueJournal;

  constructor(options: QueueStateOptions) {
    this.region = options.region;
    this.accountId = options.accountId;
    this.log = options.log;
    const startedAt = Date.now();
    for (const config of options.configs) {
      const messages = new Map<string, StoredMessage>();
      const scale = config.timeScale ?? 1;
      this.queues.set(config.name, {
        config,
        messages,
        scale,
        retentionMs: (config.messageRetentionSeconds ?? DEFAULT_RETENTION_SECONDS) * 1000 * scale,
        createdAt: startedAt,
        sleepers: new Sleepers(),
        activeWorkers: 0,
      });
      this.allMessages.set(config.name, messages);
    }
    this.journal = new QueueJournal(
      options.dataDir === null ? null : join(resolve(options.dataDir), 'queues'),
      this.allMessages,
      this.log,
    );
    this.journal.open();
  }

  /** Journals the entries (durably, when there is a data dir), then applies them. */
  commit(...entries: JournalEntry[]): void {
    this.journal.append(entries);
    for (const entry of entries) applyEntry(this.allMessages, entry);
  }

  arnOf(name: string): string {
    return `arn:aws:sqs:${this.region}:${this.accountId}:${name}`;
  }

  urlOf(name: string): string {
    return `${this.endpoint}/${this.accountId}/${name}`;
  }

  queueNamed(name: string): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw errors.queueDoesNotExist();
    return queue;
  }

  /** Any URL whose path is `/<account>/<name>` names the queue (hosts differ between clients). */
  queueFromUrl(url: string): Queue {
    let path: string;
    try {
      path = new URL(url).pathname;
    } catch {
      path = url;
    }
    const match = /^\/?([^/]+)\/([^/]+)\/?$/.exec(path);
    if (!match || match[1] !== this.accountId) throw errors.queueDoesNotExist();
    return this.queueNamed(match[2] ?? '');
  }

  dropExpired(queue: Queue, now: number): void {
    const expired: JournalEntry[] = [];
    for (const message of queue.messages.values()) {
      if (now - message.sentAt > queue.retentionMs) {
        expired.push({ op: 'delete', queue: queue.config.name, id: message.id });
      }
    }
    this.commit(...expired);
  }

  send(
    queue: Queue,
    body: string,
    attributes: Record<string, MessageAttributeValue>,
    delaySeconds: number,
    traceHeader: string | null,
  ): StoredMessage {
    const now = Date.now();
    const message: StoredMessage = {
      id: randomUUID(),
      body,
      md5OfBody: md5Hex(Buffer.from(body, 'utf8')),
      attributes,
      md5OfAttributes: Object.keys(attributes).length > 0 ? md5OfMessageAttributes(attributes) : null,
      traceHeader,
      senderId: this.accountId,
      sentAt: now,
      visibleAt: now + scaledMs(queue, delaySeconds),
      receiveCount: 0,
      firstReceivedAt: null,
      receipt: null,
      deadLetterSourceArn: null,
    };
    this.commit({ op: 'send', queue: queue.config.name, message });
    queue.sleepers.wakeAll();
    return message;
  }

  /**
   * Up to `max` visible messages, now in flight for `visibilitySeconds`. A visible message
   * already received maxReceiveCount times moves to the dead-letter queue instead (SQS does
   * this on the receive that would exceed the count).
   */
  receive(queue: Queue, max: number, visibilitySeconds: number): StoredMessage[] {
    const now = Date.now();
    this.dropExpired(queue, now);
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
          sourceArn: this.arnOf(queue.config.name),
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
    this.commit(...entries);
    for (const entry of entries) {
      if (entry.op !== 'move') continue;
      this.log(
        `${queue.config.name}: message ${entry.id} moved to ${entry.to} after ${maxReceiveCount} receives`,
      );
      this.queues.get(entry.to)?.sleepers.wakeAll();
    }
    return received;
  }

  private messageFor(queue: Queue, handle: string): StoredMessage | undefined {
    const receipt = decodeReceipt(handle);
    if (!receipt || receipt.queue !== queue.config.name) throw errors.receiptHandleIsInvalid(handle);
    return queue.messages.get(receipt.id);
  }

  deleteByHandle(queue: Queue, handle: string): void {
    // As in SQS, deleting with an older handle of a message still deletes it, and deleting a
    // message that is already gone succeeds.
    const message = this.messageFor(queue, handle);
    if (message) this.commit({ op: 'delete', queue: queue.config.name, id: message.id });
  }

  changeVisibility(queue: Queue, handle: string, seconds: number): void {
    const receipt = decodeReceipt(handle);
    const message = this.messageFor(queue, handle);
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
    this.commit({
      op: 'visibility',
      queue: queue.config.name,
      id: message.id,
      visibleAt: now + scaledMs(queue, seconds),
    });
    queue.sleepers.wakeAll();
  }

  /** Snapshot and close the journal. */
  close(): void {
    this.journal.close();
  }
}

const scaledMs = (queue: Queue, seconds: number) => seconds * 1000 * queue.scale;

export const counts = (queue: Queue, now: number) => {
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
