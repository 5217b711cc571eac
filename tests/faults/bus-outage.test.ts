/**
 * The bus refuses PutEvents for longer than the publisher's old retry budget (10 retries), then
 * recovers: every report stored meanwhile still reaches the subscriber, exactly once. `npm start`
 * runs as its own process at a hundredth of real time (LOCAL_TIME_SCALE), and the local bus's
 * fault switch (PUT/DELETE /_local/faults/event-bus) plays the outage.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DETAIL_TYPES } from '../../functions/events/catalogue.js';
import { deterministicEventId } from '../../functions/events/event-id.js';
import { BUS_FAULT_ROUTE } from '../../local/bus-fault-route.js';
import { freePort } from '../../local/dynamodb-local.js';
import {
  apiClient,
  type RuntimeProcess,
  settle,
  spawnRuntime,
  stopRuntime,
  tokenFor,
  waitFor,
} from '../support/runtime-process.js';
import { startWebhookSink } from '../support/webhook-sink.js';

/** The first try and the 10 retries the publisher's batches used to get before being given up. */
const OLD_BUDGET_INVOCATIONS = 11;
const PROJECT = 'ev-charging-2024';
const REPORTERS = ['jiangsu', 'zhejiang', 'anhui', 'shanghai'] as const;

let dataDir: string;
let runtime: RuntimeProcess | undefined;
let sink: Awaited<ReturnType<typeof startWebhookSink>> | undefined;
const tokens = new Map<string, string>();
const api = apiClient(() => runtime, tokens);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tracker-bus-outage-'));
  runtime = await spawnRuntime(
    { TRACKER_DATA_DIR: dataDir, LOCAL_TIME_SCALE: '0.01', DYNAMODB_PORT: '', TRACKER_TABLE_NAME: '' },
    await freePort(),
  );
  for (const role of REPORTERS) tokens.set(role, await tokenFor(role, dataDir));
  sink = await startWebhookSink();
}, 150_000);

afterAll(async () => {
  if (runtime) await stopRuntime(runtime);
  await sink?.close();
  await rm(dataDir, { recursive: true, force: true });
}, 60_000);

const switchBus = async (method: 'PUT' | 'DELETE') => {
  const response = await fetch(`${runtime?.url}${BUS_FAULT_ROUTE}`, { method });
  expect(response.status).toBe(200);
};

/** The runtime's log lines saying the publisher could not put this event. */
const refusalsOf = (eventId: string) =>
  (runtime?.output() ?? '')
    .split('\n')
    .filter((line) => line.includes('"message":"event not published"') && line.includes(eventId));

describe('an EventBridge outage longer than the old retry budget', () => {
  it('delivers every report stored during the outage to the subscriber exactly once', async () => {
    const created = await api('POST', '/subscriptions', 'jiangsu', {
      url: sink?.url,
      projectIds: [PROJECT],
      description: 'bus outage',
    });
    expect(created.status).toBe(201);

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
    await waitFor(
      () => (refusalsOf(firstEvent).length > OLD_BUDGET_INVOCATIONS + 1 ? true : undefined),
      120_000,
      `more than ${OLD_BUDGET_INVOCATIONS + 1} refusals of ${firstEvent}`,
      () => runtime,
    );
    expect(refusalsOf(firstEvent)[0]).toContain('AccessDeniedException');
    expect(sink?.received).toEqual([]);

    await switchBus('DELETE');
    await settle(runtime);

    const listed = await api('GET', `/projects/${PROJECT}/milestones`, null);
    expect(listed.status).toBe(200);
    const stored = (listed.json.milestones as { id: string }[]).map((milestone) => milestone.id);
    expect(stored.sort()).toEqual([...posted].sort());

    const hooks = (sink?.received ?? []).map((hook) => ({
      id: String(hook.headers['webhook-id']),
      ...(JSON.parse(hook.body) as { type: string; data: { milestoneId?: string } }),
    }));
    // Exactly once per subscriber: no webhook-id twice, and one MilestoneRecorded per stored report.
    expect(new Set(hooks.map((hook) => hook.id)).size).toBe(hooks.length);
    const recorded = hooks.filter((hook) => hook.type === DETAIL_TYPES.milestoneRecorded);
    expect(recorded.map((hook) => hook.data.milestoneId).sort()).toEqual([...stored].sort());
    expect(recorded.map((hook) => hook.id).sort()).toEqual(
      stored.map((id) => deterministicEventId(DETAIL_TYPES.milestoneRecorded, id)).sort(),
    );
    expect(runtime?.output()).not.toContain('on-failure destination');
  }, 240_000);
});
