/**
 * Where the local runtime keeps its state: `TRACKER_DATA_DIR`, or `.local/` at the project root
 * (git-ignored). The DynamoDB files live under `dynamodb/`, the signing keys under `keys/`.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const dataDirFromEnv = (env: NodeJS.ProcessEnv = process.env): string =>
  env.TRACKER_DATA_DIR ? resolve(env.TRACKER_DATA_DIR) : resolve(PROJECT_ROOT, '.local');
