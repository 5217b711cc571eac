import { randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { KmsSecretBox } from '../../../functions/crypto/kms-secret-box.js';
import { LocalSecretBox } from '../../../functions/crypto/local-secret-box.js';
import { decrypt, encrypt } from '../../../functions/crypto/secret-box.js';
import { secretBoxFromEnv } from '../../../functions/crypto/secret-box-from-env.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const CONTEXT = { subscriptionId: 'sub-1' };
const KEY_ARN = 'arn:aws:kms:ap-northeast-1:123456789012:key/0b6c1f1e-2f0e-4d55-9a55-3f7b2c1d9e01';

/** Every form of the secret's bytes a careless store could hold. */
const forms = (secret: string): string[] => {
  const bytes = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return [secret, secret.slice('whsec_'.length), bytes.toString('hex'), bytes.toString('base64url')];
};

describe('the local secret box', () => {
  it('opens what it sealed, and the sealed form holds no trace of the secret', async () => {
    const box = new LocalSecretBox(async () => randomBytes(32));
    const sealed = await box.seal(SECRET, CONTEXT);
    expect(Object.keys(sealed).sort()).toEqual(['ciphertext', 'encryptedKey', 'iv', 'keyId', 'tag']);
    for (const form of forms(SECRET)) expect(JSON.stringify(sealed)).not.toContain(form);
    expect(await box.open(sealed, CONTEXT)).toBe(SECRET);
  });

  it('uses a new data key and nonce for every secret', async () => {
    const box = new LocalSecretBox(async () => randomBytes(32));
    const [a, b] = await Promise.all([box.seal(SECRET, CONTEXT), box.seal(SECRET, CONTEXT)]);
    expect(a?.encryptedKey).not.toBe(b?.encryptedKey);
    expect(a?.iv).not.toBe(b?.iv);
    expect(a?.ciphertext).not.toBe(b?.ciphertext);
  });

  it("refuses to open a secret under another subscription's id, changed bytes or another key", async () => {
    const key = randomBytes(32);
    const box = new LocalSecretBox(async () => key);
    const sealed = await box.seal(SECRET, CONTEXT);
    await expect(box.open(sealed, { subscriptionId: 'sub-2' })).rejects.toThrow();
    const flipped = Buffer.from(sealed.ciphertext, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    await expect(box.open({ ...sealed, ciphertext: flipped.toString('base64') }, CONTEXT)).rejects.toThrow();
    await expect(new LocalSecretBox(async () => randomBytes(32)).open(sealed, CONTEXT)).rejects.toThrow(
      /sealed under key local:/,
    );
  });

  it('refuses a key file that is not 32 bytes', async () => {
    const box = new LocalSecretBox(async () => randomBytes(16));
    await expect(box.seal(SECRET, CONTEXT)).rejects.toThrow(/32 bytes/);
  });
});

describe('the KMS secret box', () => {
  const kms = new KMSClient({
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const kmsMock = mockClient(kms);
  /** A stand-in for KMS: the "encrypted" data key is the data key encrypted under a key only this test has. */
  const masterKey = randomBytes(32);
  const expectedContext = { purpose: 'webhook-signing-secret', subscriptionId: CONTEXT.subscriptionId };

  beforeEach(() => {
    kmsMock.reset();
    kmsMock.on(GenerateDataKeyCommand).callsFake(() => {
      const dataKey = randomBytes(32);
      const { ciphertext, iv, tag } = encrypt(masterKey, dataKey, CONTEXT);
      return {
        Plaintext: new Uint8Array(dataKey),
        CiphertextBlob: Buffer.concat([iv, tag, ciphertext]),
        KeyId: KEY_ARN,
      };
    });
  });

  const sealedWithKms = async () => {
    const box = new KmsSecretBox({ kms, keyId: KEY_ARN });
    return { box, sealed: await box.seal(SECRET, CONTEXT) };
  };

  it('asks KMS for an AES-256 data key bound to the subscription, and stores only its wrapped form', async () => {
    const { sealed } = await sealedWithKms();
    expect(kmsMock.commandCalls(GenerateDataKeyCommand)[0]?.args[0].input).toEqual({
      KeyId: KEY_ARN,
      KeySpec: 'AES_256',
      EncryptionContext: expectedContext,
    });
    expect(sealed.keyId).toBe(KEY_ARN);
    for (const form of forms(SECRET)) expect(JSON.stringify(sealed)).not.toContain(form);
  });

  /** What KMS Decrypt answers for a data key GenerateDataKey handed out above. */
  const answerDecrypt = () =>
    kmsMock.on(DecryptCommand).callsFake((input: { CiphertextBlob: Uint8Array }) => {
      const wrapped = Buffer.from(input.CiphertextBlob);
      const { iv, tag, ciphertext } = {
        iv: wrapped.subarray(0, 12),
        tag: wrapped.subarray(12, 28),
        ciphertext: wrapped.subarray(28),
      };
      return { Plaintext: new Uint8Array(decrypt(masterKey, { iv, tag, ciphertext }, CONTEXT)) };
    });

  it('opens with KMS Decrypt under the same context, and asks KMS once for repeated opens', async () => {
    const { sealed } = await sealedWithKms();
    answerDecrypt();
    const opener = new KmsSecretBox({ kms, keyId: KEY_ARN });
    expect(await opener.open(sealed, CONTEXT)).toBe(SECRET);
    expect(await opener.open(sealed, CONTEXT)).toBe(SECRET);
    const calls = kmsMock.commandCalls(DecryptCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toMatchObject({ KeyId: KEY_ARN, EncryptionContext: expectedContext });
    expect(Buffer.from(calls[0]?.args[0].input.CiphertextBlob ?? new Uint8Array())).toEqual(
      Buffer.from(sealed.encryptedKey, 'base64'),
    );
  });

  it('asks KMS again once a cached data key is five minutes old', async () => {
    const { sealed } = await sealedWithKms();
    answerDecrypt();
    let now = 0;
    const opener = new KmsSecretBox({ kms, keyId: KEY_ARN, now: () => now });
    await opener.open(sealed, CONTEXT);
    now = 5 * 60 * 1000 - 1;
    await opener.open(sealed, CONTEXT);
    expect(kmsMock.commandCalls(DecryptCommand)).toHaveLength(1);
    now = 5 * 60 * 1000;
    expect(await opener.open(sealed, CONTEXT)).toBe(SECRET);
    expect(kmsMock.commandCalls(DecryptCommand)).toHaveLength(2);
  });

  it("does not open a secret under another subscription's id from the cache", async () => {
    const { sealed } = await sealedWithKms();
    answerDecrypt();
    const opener = new KmsSecretBox({ kms, keyId: KEY_ARN });
    await opener.open(sealed, CONTEXT);
    await expect(opener.open(sealed, { subscriptionId: 'sub-2' })).rejects.toThrow();
    expect(kmsMock.commandCalls(DecryptCommand)[1]?.args[0].input.EncryptionContext).toEqual({
      ...expectedContext,
      subscriptionId: 'sub-2',
    });
  });
});

describe('secretBoxFromEnv', () => {
  it('chooses KMS when a key id is set, the key file otherwise, and refuses neither', () => {
    expect(secretBoxFromEnv({ WEBHOOK_SECRETS_KMS_KEY_ID: KEY_ARN })).toBeInstanceOf(KmsSecretBox);
    expect(secretBoxFromEnv({ WEBHOOK_SECRETS_KEY_FILE: '/tmp/key' })).toBeInstanceOf(LocalSecretBox);
    expect(() => secretBoxFromEnv({})).toThrow(/WEBHOOK_SECRETS_KMS_KEY_ID or WEBHOOK_SECRETS_KEY_FILE/);
  });
});
