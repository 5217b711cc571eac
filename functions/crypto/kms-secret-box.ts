import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { SealedSecret } from '../domain/subscription.js';
import type { SecretBox, SecretContext } from './secret-box.js';
import { encryptionContext, openWithDataKey, sealWithDataKey } from './secret-box.js';

/**
 * Decrypted data keys a warm deliverer keeps, and for how long: a burst of deliveries to one
 * subscription costs one KMS call, while a key is never held long after its last use.
 */
const CACHE_ENTRIES = 100;
const CACHE_MS = 5 * 60 * 1000;

/**
 * Webhook secrets sealed with AWS KMS: GenerateDataKey (AES-256) per secret to seal, Decrypt of
 * the data key to open. The encryption context binds each data key to its subscription.
 */
export class KmsSecretBox implements SecretBox {
  private readonly kms: KMSClient;
  private readonly keyId: string;
  private readonly now: () => number;
  /** `encryptedKey|subscriptionId` → data key; insertion order is age order. */
  private readonly dataKeys = new Map<string, { key: Uint8Array; until: number }>();

  constructor(options: { kms: KMSClient; keyId: string; now?: () => number }) {
    this.kms = options.kms;
    this.keyId = options.keyId;
    this.now = options.now ?? Date.now;
  }

  async seal(plaintext: string, context: SecretContext): Promise<SealedSecret> {
    const generated = await this.kms.send(
      new GenerateDataKeyCommand({
        KeyId: this.keyId,
        KeySpec: 'AES_256',
        EncryptionContext: encryptionContext(context),
      }),
    );
    const { Plaintext: dataKey, CiphertextBlob: encryptedKey, KeyId: keyId } = generated;
    if (!dataKey || !encryptedKey) throw new Error('KMS GenerateDataKey returned no data key');
    try {
      return sealWithDataKey(dataKey, { encryptedKey, keyId: keyId ?? this.keyId }, plaintext, context);
    } finally {
      dataKey.fill(0);
    }
  }

  async open(sealed: SealedSecret, context: SecretContext): Promise<string> {
    return openWithDataKey(await this.dataKey(sealed, context), sealed, context);
  }

  private async dataKey(sealed: SealedSecret, context: SecretContext): Promise<Uint8Array> {
    const cacheKey = `${sealed.encryptedKey}|${context.subscriptionId}`;
    const now = this.now();
    const cached = this.dataKeys.get(cacheKey);
    if (cached && cached.until > now) return cached.key;
    this.dataKeys.delete(cacheKey);

    const decrypted = await this.kms.send(
      new DecryptCommand({
        KeyId: sealed.keyId,
        CiphertextBlob: Buffer.from(sealed.encryptedKey, 'base64'),
        EncryptionContext: encryptionContext(context),
      }),
    );
    if (!decrypted.Plaintext) throw new Error('KMS Decrypt returned no data key');
    for (const [key, entry] of this.dataKeys) {
      if (entry.until > now && this.dataKeys.size < CACHE_ENTRIES) break;
      this.dataKeys.delete(key);
    }
    this.dataKeys.set(cacheKey, { key: decrypted.Plaintext, until: now + CACHE_MS });
    return decrypted.Plaintext;
  }
}
