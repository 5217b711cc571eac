/**
 * Hostile and broken webhook receivers, each a real HTTP server on 127.0.0.1, driven through the
 * whole local runtime (report → stream → bus → notifier → queue → deliverer): what reaches the
 * receiver, and what the delivery log (GET /subscriptions/{id}/deliveries) says about it.
 */
import { describe, expect, it } from 'vitest';
import { DELIVERY_QUEUE } from '../../functions/events/plumbing.js';
import { settle } from '../support/runtime-process.js';
import { runtimeSession } from '../support/runtime-session.js';

const session = runtimeSession('receivers');
const { api, sink, subscribe, report, waitFor, deliveriesOf } = session;

/** Waits until the subscription's latest delivery has `status`, and returns it. */
const latestDelivery = (subscriptionId: string, role: string, status: string) =>
  waitFor(
    async () => {
      const [latest] = await deliveriesOf(subscriptionId, role);
      return latest?.status === status ? latest : undefined;
    },
    60_000,
    `a delivery ${status}`,
  );

describe('webhook receivers that misbehave', () => {
  it('gives up on a receiver that never answers after the request timeout, hangs up, and tries again', async () => {
    const hanging = await sink((hook) => (hanging.received.indexOf(hook) === 0 ? 'hang' : { status: 204 }));
    const { id } = await subscribe('jiangsu', hanging.url, ['ev-charging-2024']);

    await report('ev-charging-2024', 'jiangsu', { value: 5, asOf: '2024-03-01' });

    const delivery = await latestDelivery(id, 'jiangsu', 'delivered');
    expect(delivery).toMatchObject({ attempts: 2, lastStatus: 204, lastError: null });
    const [first, second] = hanging.received;
    expect(hanging.received).toHaveLength(2);
    expect(second?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
    // The deliverer hung up on the silent receiver, and not before its time was up.
    expect(first?.hungUpAt).toBeDefined();
    // (Less a margin: the deliverer's clock starts before the request has reached the receiver.)
    const timeout = DELIVERY_QUEUE.requestTimeoutMs - 500;
    expect((first?.hungUpAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(timeout);
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(timeout);
  }, 90_000);

  it('records the status of an answer whose body never ends, having read only a bounded part of it', async () => {
    const endless = await sink(() => ({ status: 200, endless: true }));
    const { id } = await subscribe('zhejiang', endless.url, ['ev-charging-2024']);

    await report('ev-charging-2024', 'zhejiang', { value: 5, asOf: '2024-03-01' });

    const delivery = await latestDelivery(id, 'zhejiang', 'delivered');
    expect(delivery).toMatchObject({ attempts: 1, lastStatus: 200 });
    await waitFor(() => endless.received[0]?.hungUpAt, 30_000, 'the deliverer to hang up');
    expect(endless.received).toHaveLength(1);
    // What the receiver wrote before the hang-up: buffers, not the gigabytes it would have sent.
    expect(endless.received[0]?.bytesAnswered).toBeLessThan(64 * 1024 * 1024);
  }, 90_000);

  it('does not follow a redirect: the attempt fails with its status and the target hears nothing', async () => {
    const elsewhere = await sink();
    const redirecting = await sink(() => ({ status: 302, headers: { location: elsewhere.url } }));
    const { id } = await subscribe('anhui', redirecting.url, ['ev-charging-2024']);

    await report('ev-charging-2024', 'anhui', { value: 5, asOf: '2024-03-01' });

    // A second attempt, refused the same way: a redirect is a failure to retry, never a new address.
    const delivery = await waitFor(
      async () => {
        const [latest] = await deliveriesOf(id, 'anhui');
        return latest?.status === 'retrying' && Number(latest.attempts) >= 2 ? latest : undefined;
      },
      60_000,
      'a second failed attempt',
    );
    expect(delivery).toMatchObject({ lastStatus: 302, lastError: 'redirects are not followed' });
    expect(redirecting.received.length).toBeGreaterThanOrEqual(2);
    expect(elsewhere.received).toHaveLength(0);
  }, 90_000);

  it('retries a receiver that always fails, then dead-letters the delivery and says so in the delivery log', async () => {
    const failing = await sink(() => ({ status: 500 }));
    const { id } = await subscribe('anhui', failing.url, ['virtual-windows-2024']);

    await report('virtual-windows-2024', 'anhui', { value: 12, asOf: '2024-06-30' });

    const delivery = await latestDelivery(id, 'anhui', 'dead-lettered');
    expect(delivery).toMatchObject({
      attempts: DELIVERY_QUEUE.maxReceiveCount,
      lastStatus: 500,
      eventType: 'MilestoneRecorded',
    });
    expect(delivery.lastError).toMatch(/dead-letter queue/);
    await settle(session.runtime());
    expect(failing.received).toHaveLength(DELIVERY_QUEUE.maxReceiveCount);
    expect(new Set(failing.received.map((h) => h.headers['webhook-id'])).size).toBe(1);
  }, 90_000);

  it('disables the subscription on 410 Gone and never calls the receiver again', async () => {
    const gone = await sink(() => ({ status: 410 }));
    const { id } = await subscribe('shanghai', gone.url, ['elderly-care-2024']);

    await report('elderly-care-2024', 'shanghai', { value: 3, asOf: '2024-03-01' });
    const dropped = await latestDelivery(id, 'shanghai', 'dropped');
    expect(dropped).toMatchObject({ attempts: 1, lastStatus: 410 });

    const listed = await api('GET', '/subscriptions', 'shanghai');
    const subscription = (listed.json.subscriptions as { id: string; status: string }[]).find(
      (s) => s.id === id,
    );
    expect(subscription?.status).toBe('disabled');

    // A later event is not even queued for it: no delivery, no request.
    const later = await report('elderly-care-2024', 'shanghai', { value: 4, asOf: '2024-03-02' });
    expect(later.status).toBe(201);
    await settle(session.runtime());
    const log = await deliveriesOf(id, 'shanghai');
    expect(log.map((d) => d.status)).toEqual(['dropped']);
    expect(gone.received).toHaveLength(1);
  }, 90_000);
});
