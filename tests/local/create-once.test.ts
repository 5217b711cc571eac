import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { secretsKeyFile } from '../../local/paths.js';
import { readOrCreateFile } from '../../local/shared/create-once.js';

const dirs: string[] = [];
const dataDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'create-once-'));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the webhook secrets key file', () => {
  it('is made once under keys/, 32 random bytes readable by its owner only, and kept', async () => {
    const file = secretsKeyFile(await dataDir());
    expect(file).toMatch(/\/keys\/webhook-secrets\.key$/);
    const first = await readOrCreateFile(file, async () => randomBytes(32));
    expect(first).toHaveLength(32);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(file, '..'))).mode & 0o777).toBe(0o700);
    expect(await readOrCreateFile(file, async () => randomBytes(32))).toEqual(first);
  });

  it('is the same for processes starting at once', async () => {
    const file = secretsKeyFile(await dataDir());
    const keys = await Promise.all(
      Array.from({ length: 8 }, () => readOrCreateFile(file, async () => randomBytes(32))),
    );
    for (const key of keys) expect(key).toEqual(keys[0]);
  });
});
