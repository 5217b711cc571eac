/**
 * Files a data directory makes once and keeps (signing keys, the secrets key): whoever starts
 * first writes it, everyone reads the same one.
 */
import { randomUUID } from 'node:crypto';
import { chmod, link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';
const isTaken = (error: unknown) => (error as NodeJS.ErrnoException).code === 'EEXIST';

/**
 * Reads `file`, creating it first from `make()` if absent, readable by its owner only (0600, in a
 * 0700 directory). Creation is atomic (write a temporary file, then hard-link it into place), so
 * two processes starting at once never end up with two different contents.
 */
export const readOrCreateFile = async (
  file: string,
  make: () => Promise<Buffer | string>,
): Promise<Buffer> => {
  try {
    const existing = await readFile(file);
    await chmod(file, 0o600);
    return existing;
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temporary, await make(), { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, file);
  } catch (error) {
    if (!isTaken(error)) throw error;
  } finally {
    await rm(temporary, { force: true });
  }
  return readFile(file);
};
