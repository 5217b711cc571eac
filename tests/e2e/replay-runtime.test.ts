/**
 * A replay of many logged events through the local runtime: the route answers 202 at once, the
 * replay worker reads the log a page at a time from the local replay queue, and the subscriber
 * receives every event exactly once. The event log is seeded through the repository (recording
 * 5,000 reports at the local runtime's ~250 a second would make this test about the reports).
 * `npm test` replays 600 events (six pages); `npm run test:replay-load` replays 5,000, which
 * takes about two minutes here, mostly the 5,000 signed deliveries.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../functions/events/catalogue.js';
import { eventsFromRecord } from '../../functions/events/from-stream.js';
import { createDocumentClient } from '../../functions/storage/client.js';
import { EventRepository } from '../../functions/storage/event-repository.js';
import { freePort } from '../../local/dynamodb-local.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import { apiClient, tokenFor, waitFor } from '../support/runtime-process.js';
import { milestoneInsert } from '../support/stream-records.js';
import { startWebhookSink } from '../support/webhook-sink.js';

const EVENTS = Number(process.env.REPLAY_EVENTS ?? 600);
if (!Number.isSafeInteger(EVENTS) || EVENTS < 1) throw new Error('REPLAY_EVENTS must be a positive integer');
let dataDir: string;
let runtime: LocalRuntime | undefined;
let sink: Awaited<ReturnType<typeof startWebhookSink>> | undefined;
const tokens = new Map<string, string>();

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tracker-replay-runtime-'));
  runtime = await startLocalRuntime({
    dataDir,
    port: await freePort(),
    host: '127.0.0.1',
    tableName: 'replay-runtime',
    timeScale: 0.0001,
    watchdogIntervalSeconds: 0,
    quiet: true,
    log: () => undefined,
  });
  tokens.set('jiangsu', await tokenFor('jiangsu', dataDir));
  sink = await startWebhookSink();
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
  await sink?.close();
  await rm(dataDir, { recursive: true, force: true });
}, 60_000);

/** The runtime runs in this process: the client reaches it by its URL. */
const api = apiClient(() => (runtime ? { url: runtime.url, output: () => '' } : undefined) as never, tokens);

/** `count` events of the rail project, one every 20 seconds, ending a minute ago: they span two days' partitions. */
const loggedEvents = (count: number, end: Date): DomainEvent[] => {
  const [template] = eventsFromRecord(
    milestoneInsert('jiangsu', { value: 1, asOf: '2024-06-30' }, null, 'tpl'),
  );
  if (!template) throw new Error('no template event');
  return Array.from(
    { length: count },
    (_, i) =>
      ({
        ...template,
        detail: {
          ...template.detail,
          eventId: `replay-e2e-${String(i).padStart(5, '0')}`,
          occurredAt: new Date(end.getTime() - (count - i) * 20_000).toISOString(),
        },
      }) as DomainEvent,
  );
};

describe('a replay on the local runtime', () => {
  it(`answers 202 at once, reaches done with ${EVENTS} matched, and delivers each event once`, async () => {
    if (!runtime || !sink) throw new Error('the runtime did not start');
    const subscription = await api(
      'POST',
      '/subscriptions',
      'jiangsu',
      { url: sink.url, projectIds: ['rail-2024'] },
      { 'idempotency-key': 'replay-e2e-subscription' },
    );
    expect(subscription.status).toBe(201);
    const id = subscription.json.id as string;
    const now = new Date();
    const events = loggedEvents(EVENTS, new Date(now.getTime() - 60_000));
    await new EventRepository({ db: createDocumentClient(), tableName: runtime.tableName }).logEvents(events);

    const since = new Date(now.getTime() - (EVENTS + 10) * 20_000).toISOString();
    const started = await api('POST', `/subscriptions/${id}/replay`, 'jiangsu', { since });
    expect(started.status).toBe(202);
    expect(started.json.state).toBe('queued');
    const location = started.headers.get('location');
    expect(location).toBe(`/subscriptions/${id}/replays/${started.json.id}`);

    const done = await waitFor(
      async () => {
        const replay = await api('GET', String(location), 'jiangsu');
        return replay.json.state === 'done' || replay.json.state === 'failed' ? replay.json : undefined;
      },
      540_000,
      'the replay to finish',
    );
    expect(done).toMatchObject({
      state: 'done',
      error: null,
      counts: { matched: EVENTS, queued: EVENTS, skippedAlreadyPending: 0, stuckRequeued: 0 },
    });

    await runtime.settle();
    const ids = sink.received.map((hook) => String(hook.headers['webhook-id']));
    expect(ids).toHaveLength(EVENTS);
    expect(new Set(ids)).toEqual(new Set(events.map((e) => e.detail.eventId)));
  }, 600_000);
});
