/**
 * Where the local runtime keeps its state: `TRACKER_DATA_DIR`, or `.local/` at the project root
 * (git-ignored). The DynamoDB files live under `dynamodb/`, the token signing keys and the webhook
 * secrets key under `keys/`.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const dataDirFromEnv = (env: NodeJS.ProcessEnv = process.env): string =>
  env.TRACKER_DATA_DIR ? resolve(env.TRACKER_DATA_DIR) : resolve(PROJECT_ROOT, '.local');

/** The 32-byte key that seals webhook signing secrets on the local stage (KMS's part in AWS). */
export const secretsKeyFile = (dataDir: string): string => join(dataDir, 'keys', 'webhook-secrets.key');
