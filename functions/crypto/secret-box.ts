import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SealedSecret } from '../domain/subscription.js';

/**
 * Envelope encryption of webhook signing secrets: each secret is encrypted with AES-256-GCM under
 * a data key of its own, and only the data key, wrapped by a key that never leaves its keeper
 * (KMS in AWS, a key file locally), is stored beside it. Sealing and opening are separate
 * capabilities, so a function can be given one without the other.
 */

/** What a sealed secret is bound to: opening it under another subscription's id fails. */
export interface SecretContext {
  subscriptionId: string;
}

export interface SecretSealer {
  seal(plaintext: string, context: SecretContext): Promise<SealedSecret>;
}

export interface SecretOpener {
  open(sealed: SealedSecret, context: SecretContext): Promise<string>;
}

/** A keeper that can do both (each implementation); functions are handed only the half they need. */
export type SecretBox = SecretSealer & SecretOpener;

/** The KMS encryption context (also the AES-GCM additional data): what the key is for, and whose. */
export const encryptionContext = (context: SecretContext): Record<string, string> => ({
  purpose: 'webhook-signing-secret',
  subscriptionId: context.subscriptionId,
});

const ALGORITHM = 'aes-256-gcm';
/** GCM's recommended nonce length. */
const IV_BYTES = 12;
export const DATA_KEY_BYTES = 32;

const additionalData = (context: SecretContext) => Buffer.from(JSON.stringify(encryptionContext(context)));

/** Encrypts `plaintext` under `key` with AES-256-GCM, binding `context`. */
export const encrypt = (
  key: Uint8Array,
  plaintext: Uint8Array,
  context: SecretContext,
): { ciphertext: Buffer; iv: Buffer; tag: Buffer } => {
  if (key.length !== DATA_KEY_BYTES) throw new TypeError(`An AES-256 key has ${DATA_KEY_BYTES} bytes`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv).setAAD(additionalData(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext, iv, tag: cipher.getAuthTag() };
};

/** Decrypts what `encrypt` made; throws when anything (key, context, bytes) differs. */
export const decrypt = (
  key: Uint8Array,
  sealed: { ciphertext: Uint8Array; iv: Uint8Array; tag: Uint8Array },
  context: SecretContext,
): Buffer => {
  const decipher = createDecipheriv(ALGORITHM, key, sealed.iv).setAAD(additionalData(context));
  decipher.setAuthTag(sealed.tag);
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
};

/** Seals a secret under a fresh data key, given the data key's wrapped form and its keeper's id. */
export const sealWithDataKey = (
  dataKey: Uint8Array,
  wrapped: { encryptedKey: Uint8Array; keyId: string },
  plaintext: string,
  context: SecretContext,
): SealedSecret => {
  const { ciphertext, iv, tag } = encrypt(dataKey, Buffer.from(plaintext, 'utf8'), context);
  return {
    ciphertext: ciphertext.toString('base64'),
    iv: iv.toString('base64'),
    tag: tag.toString('base64'),
    encryptedKey: Buffer.from(wrapped.encryptedKey).toString('base64'),
    keyId: wrapped.keyId,
  };
};

/** Opens a sealed secret with its (unwrapped) data key. */
export const openWithDataKey = (dataKey: Uint8Array, sealed: SealedSecret, context: SecretContext): string =>
  decrypt(
    dataKey,
    {
      ciphertext: Buffer.from(sealed.ciphertext, 'base64'),
      iv: Buffer.from(sealed.iv, 'base64'),
      tag: Buffer.from(sealed.tag, 'base64'),
    },
    context,
  ).toString('utf8');
