import { afterEach, describe, expect, it } from 'vitest';
import { startVerifyingSink, type VerifyingSink } from '../../../bench/verifying-sink.js';
import { generateSecret, sign, webhookHeaders } from '../../../functions/webhooks/signature.js';

const sinks: VerifyingSink[] = [];
afterEach(async () => {
  await Promise.all(sinks.splice(0).map((sink) => sink.close()));
});
const sinkWith = async (secret: string) => {
  const sink = await startVerifyingSink();
  sinks.push(sink);
  sink.useSecret(secret);
  return sink;
};

const milestoneHook = (eventId: string, milestoneId: string) =>
  JSON.stringify({ type: 'MilestoneRecorded', data: { eventId, milestoneId } });

/** Posts `body` as the deliverer does, signed with `secret` (or unsigned). */
const post = (url: string, body: string, eventId: string, secret: string | null) => {
  const timestamp = Math.floor(Date.now() / 1000);
  const headers =
    secret === null
      ? {}
      : webhookHeaders({ id: eventId, timestamp, signature: sign({ secret, id: eventId, timestamp, body }) });
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
};

describe('the verifying sink', () => {
  it("takes a hook signed with the subscription's secret, and wakes whoever waits for its milestone", async () => {
    const secret = generateSecret();
    const sink = await sinkWith(secret);
    const waiting = sink.hookFor('m-1');
    const before = Date.now();
    const answer = await post(sink.url, milestoneHook('ev-1', 'm-1'), 'ev-1', secret);
    expect(answer.status).toBe(204);
    const hook = await waiting;
    expect(hook).toMatchObject({ eventId: 'ev-1', type: 'MilestoneRecorded', milestoneId: 'm-1' });
    expect(hook.verifiedAt).toBeGreaterThanOrEqual(before);
    // A hook already in is found at once.
    await expect(sink.hookFor('m-1')).resolves.toEqual(hook);
  });

  it.each([
    ['signed with another secret', generateSecret()],
    ['unsigned', null],
  ])('answers 401 to a hook %s and fails every wait', async (_, signer) => {
    const sink = await sinkWith(generateSecret());
    // Settled into a value at once: the wait fails while the POST is still being answered.
    const waiting = sink.hookFor('m-2').then(
      () => null,
      (error: unknown) => error,
    );
    const answer = await post(sink.url, milestoneHook('ev-2', 'm-2'), 'ev-2', signer);
    expect(answer.status).toBe(401);
    expect(String(await waiting)).toMatch(/failed verification/);
    expect(sink.verified).toEqual([]);
  });
});
