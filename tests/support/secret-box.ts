import { randomBytes } from 'node:crypto';
import { LocalSecretBox } from '../../functions/crypto/local-secret-box.js';

/** A secret keeper for tests: the local one, with a key of its own that no file holds. */
export const testSecretBox = (key: Buffer = randomBytes(32)): LocalSecretBox =>
  new LocalSecretBox(async () => key);
