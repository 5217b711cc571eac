import { createHash, randomBytes } from 'node:crypto';
import type { SealedSecret } from '../domain/subscription.js';
import type { SecretBox, SecretContext } from './secret-box.js';
import { DATA_KEY_BYTES, decrypt, encrypt, openWithDataKey, sealWithDataKey } from './secret-box.js';

/** `iv ‖ tag ‖ ciphertext` of a wrapped data key. */
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The local stage's stand-in for KMS: a 32-byte key (the key file under the data directory)
 * wraps each secret's data key with AES-256-GCM. The stored format is the KMS one, so the
 * handlers cannot tell which keeper sealed a secret.
 */
export class LocalSecretBox implements SecretBox {
  private readonly loadKey: () => Promise<Buffer>;
  private loaded: Promise<{ key: Buffer; keyId: string }> | undefined;

  /** `loadKey` is called on first use (the local runtime reads the key file), again after a failure. */
  constructor(loadKey: () => Promise<Buffer>) {
    this.loadKey = loadKey;
  }

  private masterKey(): Promise<{ key: Buffer; keyId: string }> {
    this.loaded ??= (async () => {
      const key = await this.loadKey();
      if (key.length !== DATA_KEY_BYTES) {
        throw new Error(`The webhook secrets key must be ${DATA_KEY_BYTES} bytes, not ${key.length}`);
      }
      // Names the key without revealing it, so a secret sealed under another key file is told apart.
      const fingerprint = createHash('sha256').update(key).digest('hex').slice(0, 16);
      return { key, keyId: `local:${fingerprint}` };
    })();
    this.loaded.catch(() => {
      this.loaded = undefined;
    });
    return this.loaded;
  }

  async seal(plaintext: string, context: SecretContext): Promise<SealedSecret> {
    const { key, keyId } = await this.masterKey();
    const dataKey = randomBytes(DATA_KEY_BYTES);
    try {
      const { ciphertext, iv, tag } = encrypt(key, dataKey, context);
      return sealWithDataKey(
        dataKey,
        { encryptedKey: Buffer.concat([iv, tag, ciphertext]), keyId },
        plaintext,
        context,
      );
    } finally {
      dataKey.fill(0);
    }
  }

  async open(sealed: SealedSecret, context: SecretContext): Promise<string> {
    const { key, keyId } = await this.masterKey();
    if (sealed.keyId !== keyId) {
      throw new Error(`This secret was sealed under key ${sealed.keyId}, not this key file's (${keyId})`);
    }
    const wrapped = Buffer.from(sealed.encryptedKey, 'base64');
    const dataKey = decrypt(
      key,
      {
        iv: wrapped.subarray(0, IV_BYTES),
        tag: wrapped.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
        ciphertext: wrapped.subarray(IV_BYTES + TAG_BYTES),
      },
      context,
    );
    try {
      return openWithDataKey(dataKey, sealed, context);
    } finally {
      dataKey.fill(0);
    }
  }
}
