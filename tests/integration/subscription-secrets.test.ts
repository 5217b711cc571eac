import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecretSealer } from '../../functions/crypto/secret-box.js';
import type { Role } from '../../functions/domain/provinces.js';
import type { SealedSecret, StoredSubscription } from '../../functions/domain/subscription.js';
import { createCreateSubscriptionHandler } from '../../functions/handlers/create-subscription.js';
import { createDeleteSubscriptionHandler } from '../../functions/handlers/delete-subscription.js';
import { createListSubscriptionsHandler } from '../../functions/handlers/list-subscriptions.js';
import { createRotateSubscriptionSecretHandler } from '../../functions/handlers/rotate-subscription-secret.js';
import { GetCommand } from '../../functions/storage/document-client.js';
import { SubscriptionRepository } from '../../functions/storage/subscription-repository.js';
import { generateSecret } from '../../functions/webhooks/signature.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { httpEvent, lambdaContext, subscriptionFixture } from '../support/fixtures.js';
import { subscriptionRoutes } from '../support/subscription-routes.js';

const NOW = new Date('2024-12-02T00:00:00.000Z');
const DAY_LATER = '2024-12-03T00:00:00.000Z';
const routes = subscriptionRoutes();
const SECRETS = routes.sealer;
let table: TestTable;

beforeAll(async () => {
  table = await createTestTable('subscription-secrets');
});
afterAll(async () => {
  await table?.drop();
});

const deps = (sealer: SecretSealer = SECRETS) =>
  routes.dependencies(table.doc, table.tableName, NOW, { sealer });

type Handler = ReturnType<typeof createRotateSubscriptionSecretHandler>;
const call = async (handler: Handler, options: Parameters<typeof httpEvent>[0]) => {
  const result = await handler(httpEvent(options), lambdaContext());
  return { ...result, json: result.body ? JSON.parse(result.body) : undefined };
};

const subscribe = async (role: Role) => {
  const created = await call(createCreateSubscriptionHandler(deps()), {
    method: 'POST',
    path: '/subscriptions',
    role,
    body: { url: 'https://hooks.example.gov.cn/x' },
  });
  expect(created.statusCode).toBe(201);
  return created.json as { id: string; secret: string };
};

const rotate = (id: string, role: Role, sealer?: SecretSealer) =>
  call(createRotateSubscriptionSecretHandler(deps(sealer)), {
    method: 'POST',
    path: `/subscriptions/${id}/rotate-secret`,
    pathParameters: { subscriptionId: id },
    role,
  });

/** The item exactly as the table holds it. */
const rawItem = async (id: string): Promise<Record<string, unknown>> => {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: { PK: 'SUBSCRIPTIONS', SK: `SUB#${id}` } }),
  );
  if (!Item) throw new Error(`no item for ${id}`);
  return Item;
};

/** Every form of a secret's bytes a careless store could hold. */
const forms = (secret: string): string[] => {
  const bytes = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return [secret, secret.slice('whsec_'.length), bytes.toString('hex'), bytes.toString('base64url')];
};

const expectNoTrace = (item: Record<string, unknown>, secret: string) => {
  const json = JSON.stringify(item);
  for (const form of forms(secret)) expect(json).not.toContain(form);
};

describe('webhook signing secrets at rest', () => {
  it('stores the secret sealed: the item holds no form of the secret it answered with', async () => {
    const { id, secret } = await subscribe('jiangsu');
    const item = await rawItem(id);

    expectNoTrace(item, secret);
    const sealed = item.secret as SealedSecret;
    expect(Object.keys(sealed).sort()).toEqual(['ciphertext', 'encryptedKey', 'iv', 'keyId', 'tag']);
    // The deliverer's opener, and only under this subscription's id, gets the secret back.
    expect(await SECRETS.open(sealed, { subscriptionId: id })).toBe(secret);
    await expect(SECRETS.open(sealed, { subscriptionId: `${id}-other` })).rejects.toThrow();
  });

  it('rotates: a new secret shown once, the old one kept sealed beside it for 24 hours', async () => {
    const { id, secret: first } = await subscribe('jiangsu');
    const firstSealed = (await rawItem(id)).secret;

    const rotated = await rotate(id, 'jiangsu');

    expect(rotated.statusCode).toBe(200);
    expect(rotated.headers['cache-control']).toBe('no-store');
    expect(rotated.json).toEqual({
      subscriptionId: id,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      previousSecretExpiresAt: DAY_LATER,
    });
    const second = rotated.json.secret as string;
    expect(second).not.toBe(first);
    const item = await rawItem(id);
    expectNoTrace(item, first);
    expectNoTrace(item, second);
    expect(item.previousSecret).toEqual(firstSealed);
    expect(item.previousSecretExpiresAt).toBe(DAY_LATER);
    expect(await SECRETS.open(item.secret as SealedSecret, { subscriptionId: id })).toBe(second);

    const listed = await call(createListSubscriptionsHandler(deps()), {
      path: '/subscriptions',
      role: 'jiangsu',
    });
    expect(listed.body).not.toMatch(/secret|whsec_/i);
  });

  it('seals a plain-text secret stored before sealing when it rotates it', async () => {
    const legacySecret = generateSecret();
    const legacy: StoredSubscription = subscriptionFixture('sub-legacy-plain', {
      owner: { subject: 'user-anhui', username: 'anhui-office', role: 'anhui' },
      secret: legacySecret,
    });
    await new SubscriptionRepository(deps()).create(legacy);

    const rotated = await rotate(legacy.id, 'anhui');

    expect(rotated.statusCode).toBe(200);
    const item = await rawItem(legacy.id);
    expectNoTrace(item, legacySecret);
    expect(await SECRETS.open(item.previousSecret as SealedSecret, { subscriptionId: legacy.id })).toBe(
      legacySecret,
    );
  });

  it('lets the owner and the coordinator rotate, and tells another office nothing', async () => {
    const { id } = await subscribe('zhejiang');
    expect((await rotate(id, 'anhui')).statusCode).toBe(404);
    expect((await rotate(id, 'coordinator')).statusCode).toBe(200);
    expect((await rotate(id, 'zhejiang')).statusCode).toBe(200);
    expect((await rotate('0b6c1f1e-0000-4000-8000-000000000000', 'zhejiang')).statusCode).toBe(404);
    expect((await rotate('x', 'zhejiang')).statusCode).toBe(400);
  });

  it('answers 404 for a deleted subscription', async () => {
    const { id } = await subscribe('shanghai');
    const deleted = await call(createDeleteSubscriptionHandler(deps()), {
      method: 'DELETE',
      path: `/subscriptions/${id}`,
      pathParameters: { subscriptionId: id },
      role: 'shanghai',
    });
    expect(deleted.statusCode).toBe(204);
    expect((await rotate(id, 'shanghai')).statusCode).toBe(404);
  });

  it('refuses the slower of two rotations at once with 409, so no answered secret is lost', async () => {
    const { id } = await subscribe('jiangsu');
    let raced = false;
    // Another rotation lands while this one is sealing its new secret.
    const racing: SecretSealer = {
      seal: async (plaintext, context) => {
        if (!raced) {
          raced = true;
          expect((await rotate(id, 'jiangsu')).statusCode).toBe(200);
        }
        return SECRETS.seal(plaintext, context);
      },
    };

    const slower = await rotate(id, 'jiangsu', racing);

    expect(slower.statusCode).toBe(409);
    expect(slower.json.type).toBe('urn:livelihood-tracker:problem:concurrent-modification');
  });
});
