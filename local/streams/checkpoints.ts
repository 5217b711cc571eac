/**
 * Checkpoints: the last handled sequence number per shard, in `<dataDir>/streams/checkpoints.json`
 * (written durably after every handled batch), so a restart resumes after the last handled record.
 * One file serves every table's poller sharing the data dir.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFileDurably } from '../shared/durable-file.js';

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

const readCheckpointFile = (file: string | null): CheckpointFile => {
  if (file === null || !existsSync(file)) return { version: 1, streams: {} };
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as CheckpointFile;
  if (parsed.version !== 1) throw new Error(`${file}: unknown version ${String(parsed.version)}`);
  return parsed;
};

const tableOfStream = (streamArn: string) => streamArn.replace(/\/stream\/[^/]*$/, '');

/** The checkpoint file, or nothing when `path` is null (memory only). */
export class CheckpointStore {
  constructor(private readonly path: string | null) {}

  /** The checkpoints saved for a stream, by shard id. */
  load(streamArn: string): Record<string, ShardCheckpoint> {
    return readCheckpointFile(this.path).streams[streamArn] ?? {};
  }

  save(streamArn: string, entry: Record<string, ShardCheckpoint>): void {
    if (this.path === null) return;
    // Re-read, so pollers of other tables sharing the data dir keep their entries; earlier streams
    // of this table (before it was recreated) are dropped.
    const file = readCheckpointFile(this.path);
    for (const arn of Object.keys(file.streams)) {
      if (tableOfStream(arn) === tableOfStream(streamArn)) delete file.streams[arn];
    }
    file.streams[streamArn] = entry;
    writeFileDurably(this.path, `${JSON.stringify(file, null, 2)}\n`);
  }
}
