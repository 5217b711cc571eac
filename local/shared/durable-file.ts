/**
 * Writes that survive a crash: what the emulators acknowledge must still be there after a kill.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { resolve } from 'node:path';

/** Flushes a directory's entries (a rename or a new file in it); a no-op where the platform cannot. */
export const fsyncDirectory = (dir: string): void => {
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

/** Opens `file` with `flags`, writes `text`, fsyncs, closes. */
const writeAndSync = (file: string, flags: 'w' | 'a', text: string): void => {
  const fd = openSync(file, flags);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};

/** A temporary file beside `file`, renamed over it once written and synced. */
const temporaryFor = (file: string) => `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;

/** Writes `text` to `file` atomically and durably: temporary file, fsync, rename, fsync dir. */
export const writeFileDurably = (file: string, text: string): void => {
  const temporary = temporaryFor(file);
  writeAndSync(temporary, 'w', text);
  renameSync(temporary, file);
  fsyncDirectory(resolve(file, '..'));
};

/**
 * writeFileDurably off the event loop: the same steps, each awaited, so that whatever else the
 * process runs (the local runtime runs every function in one process) is not held up by fsync.
 */
export const writeFileDurablyAsync = async (file: string, text: string): Promise<void> => {
  const temporary = temporaryFor(file);
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
  const dir = await open(resolve(file, '..'), 'r').catch(() => null);
  // As in fsyncDirectory: where a directory cannot be fsynced, the rename is still atomic.
  await dir
    ?.sync()
    .catch(() => undefined)
    .finally(() => dir.close());
};

/** Appends `text` to `file` (created when missing) and fsyncs it before returning. */
export const appendFileDurably = (file: string, text: string): void => writeAndSync(file, 'a', text);

/** Records as JSON Lines: one JSON document per line, each line ended. */
export const jsonLines = (records: readonly unknown[]): string =>
  records.map((record) => `${JSON.stringify(record)}\n`).join('');
