import { readFile } from 'node:fs/promises';
import { KMSClient } from '@aws-sdk/client-kms';
import { KmsSecretBox } from './kms-secret-box.js';
import { LocalSecretBox } from './local-secret-box.js';
import type { SecretBox } from './secret-box.js';

/** Where a function learns which key keeps webhook secrets (set by CDK, or by the local runtime). */
export const SECRET_KEY_ENV = {
  /** The KMS key's ARN: functions that seal or open secrets in AWS. */
  kmsKeyId: 'WEBHOOK_SECRETS_KMS_KEY_ID',
  /** The local stage's key file (32 bytes) under the data directory. */
  keyFile: 'WEBHOOK_SECRETS_KEY_FILE',
} as const;

/**
 * The secret keeper the environment names: KMS when a key id is set, else the local key file.
 * Neither set is a configuration error, raised here rather than when the first secret is sealed.
 */
export const secretBoxFromEnv = (env: NodeJS.ProcessEnv = process.env): SecretBox => {
  const kmsKeyId = env[SECRET_KEY_ENV.kmsKeyId];
  if (kmsKeyId) return new KmsSecretBox({ kms: new KMSClient({}), keyId: kmsKeyId });
  const keyFile = env[SECRET_KEY_ENV.keyFile];
  if (keyFile) return new LocalSecretBox(() => readFile(keyFile));
  throw new Error(`Set ${SECRET_KEY_ENV.kmsKeyId} or ${SECRET_KEY_ENV.keyFile}: webhook secrets need a key`);
};
