/**
 * Checkpoints: the last handled sequence number per shard, in `<dataDir>/streams/checkpoints.json`
 * (written durably after every handled batch, before the next one is read), so a restart resumes after the last handled record.
 * One file serves every table's poller sharing the data dir.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { writeFileDurablyAsync } from '../shared/durable-file.js';

export interface ShardCheckpoint {
  /** The last handled (or skipped) record; null: none yet. */
  sequenceNumber: string | null;
  /** The shard is closed and every record of it handled. */
  finished?: boolean;
}

interface CheckpointFile {
  version: 1;
  /** Per stream ARN, per shard id. */
  streams: Record<string, Record<string, ShardCheckpoint>>;
}

const EMPTY: CheckpointFile = { version: 1, streams: {} };

const parseCheckpointFile = (file: string, text: string): CheckpointFile => {
  const parsed = JSON.parse(text) as CheckpointFile;
  if (parsed.version !== 1) throw new Error(`${file}: unknown version ${String(parsed.version)}`);
  return parsed;
};

const readCheckpointFile = (file: string | null): CheckpointFile =>
  file === null || !existsSync(file) ? EMPTY : parseCheckpointFile(file, readFileSync(file, 'utf8'));

const readCheckpointFileAsync = async (file: string): Promise<CheckpointFile> => {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  return text === null ? structuredClone(EMPTY) : parseCheckpointFile(file, text);
};

const tableOfStream = (streamArn: string) => streamArn.replace(/\/stream\/[^/]*$/, '');

/**
 * The saves of each file, one after another: a save re-reads the file, so two of them (pollers of
 * two tables sharing a data dir) must not interleave.
 */
const savesOf = new Map<string, Promise<void>>();

/** The checkpoint file, or nothing when `path` is null (memory only). */
export class CheckpointStore {
  constructor(private readonly path: string | null) {}

  /** The checkpoints saved for a stream, by shard id. */
  load(streamArn: string): Record<string, ShardCheckpoint> {
    return readCheckpointFile(this.path).streams[streamArn] ?? {};
  }

  /**
   * Saves a stream's checkpoints; durable once the promise resolves. The file is written off the
   * event loop: in the local runtime, the publisher's events are being fanned out and delivered
   * meanwhile, and a synchronous fsync would hold all of that up.
   */
  save(streamArn: string, entry: Record<string, ShardCheckpoint>): Promise<void> {
    const path = this.path;
    if (path === null) return Promise.resolve();
    const previous = savesOf.get(path) ?? Promise.resolve();
    const saved = previous.then(async () => {
      // Re-read, so pollers of other tables sharing the data dir keep their entries; earlier streams
      // of this table (before it was recreated) are dropped.
      const file = await readCheckpointFileAsync(path);
      for (const arn of Object.keys(file.streams)) {
        if (tableOfStream(arn) === tableOfStream(streamArn)) delete file.streams[arn];
      }
      file.streams[streamArn] = entry;
      await writeFileDurablyAsync(path, `${JSON.stringify(file, null, 2)}\n`);
    });
    const settled = saved.catch(() => undefined);
    savesOf.set(path, settled);
    void settled.then(() => {
      if (savesOf.get(path) === settled) savesOf.delete(path);
    });
    return saved;
  }
}
