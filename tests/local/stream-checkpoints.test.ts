import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointStore } from '../../local/streams/checkpoints.js';

const streamOf = (table: string, label = '2024-01-01T00:00:00.000') =>
  `arn:aws:dynamodb:ddblocal:000000000000:table/${table}/stream/${label}`;

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
const checkpointFile = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'stream-checkpoints-'));
  dirs.push(dir);
  return join(dir, 'checkpoints.json');
};

describe('stream checkpoints', () => {
  it('are written off the event loop: save returns at once, and the checkpoint is on disk when it resolves', async () => {
    const path = await checkpointFile();
    const saving = new CheckpointStore(path).save(streamOf('a'), { 'shard-1': { sequenceNumber: '100' } });
    // A synchronous write (and its fsyncs) would have held up everything else the runtime runs.
    expect(existsSync(path)).toBe(false);
    await saving;
    expect(new CheckpointStore(path).load(streamOf('a'))).toEqual({ 'shard-1': { sequenceNumber: '100' } });
  });

  it("keeps every table's checkpoints when pollers of two tables save into one file at once", async () => {
    const path = await checkpointFile();
    await Promise.all([
      new CheckpointStore(path).save(streamOf('a'), { 'shard-a': { sequenceNumber: '1' } }),
      new CheckpointStore(path).save(streamOf('b'), { 'shard-b': { sequenceNumber: '2' } }),
      new CheckpointStore(path).save(streamOf('c'), { 'shard-c': { sequenceNumber: '3', finished: true } }),
    ]);
    const store = new CheckpointStore(path);
    expect([store.load(streamOf('a')), store.load(streamOf('b')), store.load(streamOf('c'))]).toEqual([
      { 'shard-a': { sequenceNumber: '1' } },
      { 'shard-b': { sequenceNumber: '2' } },
      { 'shard-c': { sequenceNumber: '3', finished: true } },
    ]);
  });

  it("keeps the last of a stream's saves, and drops the table's earlier stream", async () => {
    const path = await checkpointFile();
    const store = new CheckpointStore(path);
    await Promise.all([
      store.save(streamOf('a', 'old'), { 'shard-1': { sequenceNumber: '7' } }),
      store.save(streamOf('a'), { 'shard-1': { sequenceNumber: '100' } }),
      store.save(streamOf('a'), { 'shard-1': { sequenceNumber: '200' } }),
    ]);
    expect(store.load(streamOf('a'))).toEqual({ 'shard-1': { sequenceNumber: '200' } });
    expect(store.load(streamOf('a', 'old'))).toEqual({});
  });
});
