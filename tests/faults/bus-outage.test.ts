/**
 * The bus refuses PutEvents for longer than the publisher's old retry budget (10 retries), then
 * recovers: every report stored meanwhile still reaches the subscriber, exactly once. `npm start`
 * runs as its own process at a hundredth of real time (LOCAL_TIME_SCALE), and the local bus's
 * fault switch (PUT/DELETE /_local/faults/event-bus) plays the outage.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DETAIL_TYPES } from '../../functions/events/catalogue.js';
import { deterministicEventId } from '../../functions/events/event-id.js';
import { BUS_FAULT_ROUTE } from '../../local/bus-fault-route.js';
import { settle } from '../support/runtime-process.js';
import { hooksOf, runtimeSession } from '../support/runtime-session.js';

/** The first try and the 10 retries the publisher's batches used to get before being given up. */
const OLD_BUDGET_INVOCATIONS = 11;
const PROJECT = 'ev-charging-2024';
const REPORTERS = ['jiangsu', 'zhejiang', 'anhui', 'shanghai'] as const;

const session = runtimeSession('bus-outage', { LOCAL_TIME_SCALE: '0.01' });
const { api } = session;

const switchBus = async (method: 'PUT' | 'DELETE') => {
  const response = await fetch(`${session.runtime()?.url}${BUS_FAULT_ROUTE}`, { method });
  expect(response.status).toBe(200);
};

/** The runtime's log lines saying the publisher could not put this event. */
const refusalsOf = (eventId: string) =>
  (session.runtime()?.output() ?? '')
    .split('\n')
    .filter((line) => line.includes('"message":"event not published"') && line.includes(eventId));

describe('an EventBridge outage longer than the old retry budget', () => {
  it('delivers every report stored during the outage to the subscriber exactly once', async () => {
    const sink = await session.sink();
    await session.subscribe('jiangsu', sink.url, [PROJECT]);

    await switchBus('PUT');
    const posted = [];
    for (const [index, role] of REPORTERS.entries()) {
      const result = await api(
        'POST',
        `/projects/${PROJECT}/milestones`,
        role,
        { value: 100 * (index + 1), asOf: '2024-06-30' },
        { 'idempotency-key': randomUUID() },
      );
      expect(result.status).toBe(201);
      posted.push(result.json.milestone.id as string);
    }

    // The outage lasts until the first report's event has been refused more often than the old
    // budget allowed: with 10 retries its batch would have been given up by now.
    const firstEvent = deterministicEventId(DETAIL_TYPES.milestoneRecorded, posted[0] ?? '');
    await session.waitFor(
      () => (refusalsOf(firstEvent).length > OLD_BUDGET_INVOCATIONS + 1 ? true : undefined),
      120_000,
      `more than ${OLD_BUDGET_INVOCATIONS + 1} refusals of ${firstEvent}`,
    );
    expect(refusalsOf(firstEvent)[0]).toContain('AccessDeniedException');
    expect(sink.received).toEqual([]);

    await switchBus('DELETE');
    await settle(session.runtime());

    const listed = await api('GET', `/projects/${PROJECT}/milestones`, null);
    expect(listed.status).toBe(200);
    const stored = (listed.json.milestones as { id: string }[]).map((milestone) => milestone.id);
    expect(stored.sort()).toEqual([...posted].sort());

    const hooks = hooksOf(sink.received);
    // Exactly once per subscriber: no webhook-id twice, and one MilestoneRecorded per stored report.
    expect(new Set(hooks.map((hook) => hook.id)).size).toBe(hooks.length);
    const recorded = hooks.filter((hook) => hook.type === DETAIL_TYPES.milestoneRecorded);
    expect(recorded.map((hook) => hook.data.milestoneId).sort()).toEqual([...stored].sort());
    expect(recorded.map((hook) => hook.id).sort()).toEqual(
      stored.map((id) => deterministicEventId(DETAIL_TYPES.milestoneRecorded, id)).sort(),
    );
    expect(session.runtime()?.output()).not.toContain('on-failure destination');
  }, 240_000);
});
