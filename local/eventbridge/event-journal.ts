/**
 * The bus's durable half, in `<dataDir>/eventbridge/`: every accepted event is appended to
 * `journal.jsonl` and fsync'ed before PutEvents answers; each (event, target) delivery that
 * finished — delivered or dead-lettered — is appended to `checkpoint.jsonl`; the default
 * dead-letter destination is `dead-letter.jsonl`. Journalled deliveries without a checkpoint are
 * owed: a kill loses no event, and a delivery may happen twice (at-least-once, like EventBridge).
 */
import { type FileHandle, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jsonLines, writeFileDurably } from '../shared/durable-file.js';
import type { EventEnvelope } from './types.js';

/** One journal line: an accepted event and the deliveries it owes, as `rule/target` keys. */
export interface JournalRecord {
  envelope: EventEnvelope;
  targets: string[];
  /** Epoch ms when the bus accepted it: the start of the event's age. */
  acceptedAt: number;
}

export interface CheckpointRecord {
  id: string;
  target: string;
}

type FileKind = 'journal' | 'checkpoint' | 'deadLetters';

/** Reads a JSON Lines file, skipping what cannot be read; a missing file is empty. */
export const readLines = async <T>(path: string, log: (line: string) => void): Promise<T[]> => {
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
export class EventJournal {
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

  private async handle(kind: FileKind): Promise<FileHandle> {
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
      await handle.appendFile(jsonLines(records));
      await handle.sync();
      this.appendedSinceCompaction += records.length;
    });
  }

  appendCheckpoint(record: CheckpointRecord): Promise<void> {
    return this.appendOne('checkpoint', record);
  }

  appendDeadLetter(record: unknown): Promise<void> {
    return this.appendOne('deadLetters', record);
  }

  private appendOne(kind: FileKind, record: unknown): Promise<void> {
    if (this.dir === null) return Promise.resolve();
    return this.run(async () => {
      const handle = await this.handle(kind);
      await handle.appendFile(jsonLines([record]));
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
      writeFileDurably(this.checkpointPath as string, jsonLines(handled));
      writeFileDurably(this.journalPath as string, jsonLines(records));
      this.appendedSinceCompaction = 0;
    });
  }

  private async closeHandles(kinds: FileKind[]) {
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
