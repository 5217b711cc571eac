import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSecret, sign, webhookHeaders } from '../../functions/webhooks/signature.js';

/** The verification code docs/events.md gives subscribers, run as they would copy it. */
const docsSnippet = (): string => {
  const events = readFileSync('docs/events.md', 'utf8');
  const match = /In Node\.js:\s*```js\n([\s\S]*?)```/.exec(events);
  if (!match?.[1]) throw new Error('docs/events.md has no Node.js verification snippet');
  return match[1];
};

const dir = mkdtempSync(join(tmpdir(), 'docs-snippet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const loadVerify = async () => {
  const file = join(dir, 'verify.mjs');
  writeFileSync(file, `${docsSnippet()}\nexport { verifyWebhook };\n`);
  const module = (await import(pathToFileURL(file).href)) as {
    verifyWebhook: (secret: string, headers: Record<string, string>, body: string) => unknown;
  };
  return module.verifyWebhook;
};

describe('the webhook verification snippet of docs/events.md', () => {
  const secret = generateSecret();
  const body = JSON.stringify({
    type: 'MilestoneRecorded',
    timestamp: '2024-06-30T04:00:00.000Z',
    data: { value: 210 },
  });
  const signed = (payload: string, timestamp = Math.floor(Date.now() / 1000)) =>
    webhookHeaders({
      id: 'evt-1',
      timestamp,
      signature: sign({ secret, id: 'evt-1', timestamp, body: payload }),
    });

  it('accepts what the deliverer signs', async () => {
    const verifyWebhook = await loadVerify();
    expect(verifyWebhook(secret, signed(body), body)).toMatchObject({ type: 'MilestoneRecorded' });
  });

  it('accepts either secret during a rotation, when the header carries two signatures', async () => {
    const verifyWebhook = await loadVerify();
    const previous = generateSecret();
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = webhookHeaders({
      id: 'evt-1',
      timestamp,
      signature: [secret, previous].map((key) => sign({ secret: key, id: 'evt-1', timestamp, body })),
    });
    expect(verifyWebhook(secret, headers, body)).toMatchObject({ type: 'MilestoneRecorded' });
    expect(verifyWebhook(previous, headers, body)).toMatchObject({ type: 'MilestoneRecorded' });
    expect(() => verifyWebhook(generateSecret(), headers, body)).toThrow();
  });

  it('refuses a changed body, another secret and a stale timestamp', async () => {
    const verifyWebhook = await loadVerify();
    expect(() => verifyWebhook(secret, signed(body), body.replace('210', '211'))).toThrow();
    expect(() => verifyWebhook(generateSecret(), signed(body), body)).toThrow();
    expect(() => verifyWebhook(secret, signed(body, Math.floor(Date.now() / 1000) - 3600), body)).toThrow();
  });
});
