/**
 * The queues' durable half, in `<dataDir>/queues/`: a snapshot (`state.json`, written to a
 * temporary file, fsynced, renamed) plus an append-only journal of every change since
 * (`journal-<generation>.jsonl`, fsynced before the change is acknowledged). On open the snapshot
 * is loaded and the journal replayed, so killing the process loses nothing.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { fsyncDirectory, jsonLines, writeFileDurably } from '../shared/durable-file.js';
import { COMPACT_AFTER_ENTRIES } from './config.js';
import type { StoredMessage } from './message.js';

export type JournalEntry =
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

/** Every queue's messages by id, by queue name. */
export type QueueMessages = Map<string, Map<string, StoredMessage>>;

/** Applies one change: the same code replays the journal and changes the live state. */
export const applyEntry = (queues: QueueMessages, entry: JournalEntry): void => {
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

/** Snapshot + journal, or nothing when memory only. */
export class QueueJournal {
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
    writeSync(this.fd, jsonLines(entries));
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
