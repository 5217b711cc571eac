import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EventBridgeClient,
  ListRulesCommand,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DETAIL_TYPES, EVENT_SOURCE } from '../../functions/events/catalogue.js';
import { NOTIFIER_RULE } from '../../functions/events/plumbing.js';
import {
  type DeliveryContext,
  type EventEnvelope,
  entrySize,
  type LocalEventBus,
  type LocalEventBusOptions,
  type LocalTarget,
  MAX_ENTRY_BYTES,
  startLocalEventBus,
  toEnvelope,
} from '../../local/eventbridge/index.js';

const BUS_NAME = 'livelihood-tracker-test';
const FAST = { maximumRetryAttempts: 3, maximumEventAgeSeconds: 60 };

const started: { bus: LocalEventBus; client: EventBridgeClient }[] = [];
const dataDirs: string[] = [];

afterEach(async () => {
  for (const { bus, client } of started.splice(0)) {
    client.destroy();
    await bus.close();
  }
  for (const dir of dataDirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const newDataDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'local-eventbridge-'));
  dataDirs.push(dir);
  return dir;
};

const start = async (options: Partial<LocalEventBusOptions> & Pick<LocalEventBusOptions, 'rules'>) => {
  const bus = await startLocalEventBus({
    dataDir: null,
    busName: BUS_NAME,
    retryDelayScale: 0.1,
    log: () => {},
    ...options,
  });
  const client = new EventBridgeClient({
    endpoint: bus.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  started.push({ bus, client });
  return { bus, client };
};

/** A target that records what it receives and succeeds. */
const recorder = (id = 'recorder') => {
  const received: EventEnvelope[] = [];
  const target: LocalTarget = {
    id,
    retryPolicy: FAST,
    invoke: async (envelope) => {
      received.push(envelope);
    },
  };
  return { target, received };
};

const entry = (detail: Record<string, unknown>, overrides: Partial<PutEventsRequestEntry> = {}) => ({
  EventBusName: BUS_NAME,
  Source: EVENT_SOURCE,
  DetailType: DETAIL_TYPES.milestoneRecorded,
  Detail: JSON.stringify(detail),
  ...overrides,
});

describe('local EventBridge bus: PutEvents through the AWS SDK', () => {
  it('delivers both entries of a PutEvents call to the matching rule as EventBridge envelopes', async () => {
    const notifier = recorder('notifier');
    const elsewhere = recorder('elsewhere');
    const { bus, client } = await start({
      rules: [
        { name: NOTIFIER_RULE.name, pattern: NOTIFIER_RULE.pattern, targets: [notifier.target] },
        { name: 'other-source', pattern: { source: ['someone.else'] }, targets: [elsewhere.target] },
      ],
    });
    const time = new Date('2024-03-12T19:03:58.678Z');

    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ projectId: 'p-1', n: 1 }, { Time: time, Resources: ['arn:aws:example:::project/p-1'] }),
          entry(
            { projectId: 'p-2', n: 2 },
            { DetailType: DETAIL_TYPES.milestoneCorrected, EventBusName: bus.busArn },
          ),
        ],
      }),
    );
    await bus.flush();

    expect(result.FailedEntryCount).toBe(0);
    const ids = result.Entries?.map((item) => item.EventId);
    expect(ids).toHaveLength(2);
    const byId = new Map(notifier.received.map((envelope) => [envelope.id, envelope]));
    expect(notifier.received).toHaveLength(2);
    expect(byId.get(ids?.[0] as string)).toEqual({
      version: '0',
      id: ids?.[0],
      'detail-type': DETAIL_TYPES.milestoneRecorded,
      source: EVENT_SOURCE,
      account: '000000000000',
      time: '2024-03-12T19:03:58Z',
      region: 'us-east-1',
      resources: ['arn:aws:example:::project/p-1'],
      detail: { projectId: 'p-1', n: 1 },
    });
    const second = byId.get(ids?.[1] as string);
    expect(second).toMatchObject({
      'detail-type': DETAIL_TYPES.milestoneCorrected,
      resources: [],
      detail: { projectId: 'p-2', n: 2 },
    });
    expect(second?.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(elsewhere.received).toEqual([]);
  });

  it('answers PutEvents before the target has finished', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((open) => {
      release = open;
    });
    const delivered: string[] = [];
    const { bus, client } = await start({
      rules: [
        {
          name: 'slow',
          pattern: { source: [EVENT_SOURCE] },
          targets: [
            {
              id: 'slow',
              retryPolicy: FAST,
              invoke: async (envelope) => {
                await gate;
                delivered.push(envelope.id);
              },
            },
          ],
        },
      ],
    });

    const result = await client.send(new PutEventsCommand({ Entries: [entry({ n: 1 })] }));

    expect(result.FailedEntryCount).toBe(0);
    expect(delivered).toEqual([]);
    release();
    await bus.flush();
    expect(delivered).toEqual([result.Entries?.[0]?.EventId]);
  });

  it('rejects a request of 11 entries with a ValidationException and delivers none of them', async () => {
    const { target, received } = recorder();
    const { bus, client } = await start({
      rules: [{ name: 'all', pattern: { source: [EVENT_SOURCE] }, targets: [target] }],
    });
    const entries = Array.from({ length: 11 }, (_, n) => entry({ n }));

    const failure = await client
      .send(new PutEventsCommand({ Entries: entries }))
      .catch((error: unknown) => error);
    await bus.flush();

    expect(failure).toMatchObject({
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
      message: expect.stringMatching(/less than or equal to 10/),
    });
    expect(received).toEqual([]);
  });

  it('refuses every PutEvents with AccessDeniedException while its fault switch is on, and delivers again once it is off', async () => {
    const { target, received } = recorder();
    const { bus, client } = await start({
      rules: [{ name: 'all', pattern: { source: [EVENT_SOURCE] }, targets: [target] }],
    });

    bus.refusePutEvents(true);
    const refused = await client
      .send(new PutEventsCommand({ Entries: [entry({ n: 1 })] }))
      .catch((error: unknown) => error);
    await bus.flush();
    expect(refused).toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    expect(received).toEqual([]);

    bus.refusePutEvents(false);
    const accepted = await client.send(new PutEventsCommand({ Entries: [entry({ n: 2 })] }));
    await bus.flush();
    expect(accepted.FailedEntryCount).toBe(0);
    expect(received.map((envelope) => envelope.detail)).toEqual([{ n: 2 }]);
  });

  it('fails only the entry over 256 KB and accepts the other one', async () => {
    const { target, received } = recorder();
    const { bus, client } = await start({
      rules: [{ name: 'all', pattern: { source: [EVENT_SOURCE] }, targets: [target] }],
    });
    const oversized = entry({ note: 'x'.repeat(MAX_ENTRY_BYTES) });
    expect(
      entrySize({ Source: oversized.Source, DetailType: oversized.DetailType, Detail: oversized.Detail }),
    ).toBeGreaterThan(MAX_ENTRY_BYTES);

    const result = await client.send(new PutEventsCommand({ Entries: [oversized, entry({ n: 2 })] }));
    await bus.flush();

    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[0]).toMatchObject({
      ErrorCode: 'InvalidArgument',
      ErrorMessage: expect.stringMatching(/262144/),
    });
    expect(result.Entries?.[0]?.EventId).toBeUndefined();
    expect(result.Entries?.[1]?.EventId).toEqual(expect.any(String));
    expect(received.map((envelope) => envelope.detail)).toEqual([{ n: 2 }]);
  });

  it('fails entries for another bus, without a required field or with a malformed Detail, one by one', async () => {
    const { target, received } = recorder();
    const { bus, client } = await start({
      rules: [{ name: 'all', pattern: { source: [EVENT_SOURCE] }, targets: [target] }],
    });

    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ n: 1 }, { EventBusName: undefined }),
          entry({ n: 2 }, { EventBusName: 'someone-elses-bus' }),
          { EventBusName: BUS_NAME, DetailType: 'X', Detail: '{}' },
          entry({}, { Detail: '[1, 2]' }),
          entry({}, { Detail: '{not json' }),
          entry({ n: 6 }),
        ],
      }),
    );
    await bus.flush();

    expect(result.FailedEntryCount).toBe(5);
    expect(result.Entries?.map((item) => item.ErrorCode)).toEqual([
      'ResourceNotFoundException',
      'ResourceNotFoundException',
      'InvalidArgument',
      'MalformedDetail',
      'MalformedDetail',
      undefined,
    ]);
    expect(received.map((envelope) => envelope.detail)).toEqual([{ n: 6 }]);
  });

  it('answers operations other than PutEvents with UnknownOperationException', async () => {
    const { client } = await start({ rules: [] });

    const failure = await client.send(new ListRulesCommand({})).catch((error: unknown) => error);

    expect(failure).toMatchObject({ name: 'UnknownOperationException', $metadata: { httpStatusCode: 400 } });
  });

  it('refuses a request body over 16 MiB with a 413 and accepts the next request', async () => {
    const { bus, client } = await start({ rules: [] });
    const response = await fetch(bus.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' },
      body: 'x'.repeat(16 * 1024 * 1024 + 1),
    });

    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      __type: 'ValidationException',
      message: `The request body exceeds ${16 * 1024 * 1024} bytes.`,
    });
    const result = await client.send(new PutEventsCommand({ Entries: [entry({ n: 1 })] }));
    expect(result.FailedEntryCount).toBe(0);
  });

  it('refuses to start with a malformed rule pattern', async () => {
    await expect(
      startLocalEventBus({
        dataDir: null,
        busName: BUS_NAME,
        log: () => {},
        rules: [{ name: 'broken', pattern: { source: [] }, targets: [] }],
      }),
    ).rejects.toThrow(/Event pattern is not valid at source/);
  });
});

describe('local EventBridge bus: delivery, retries and dead letters', () => {
  it('retries a target that fails twice, with growing delays, until it succeeds', async () => {
    const attempts: { attempt: number; at: number }[] = [];
    const lines: string[] = [];
    const { bus, client } = await start({
      retryDelayScale: 0.2,
      log: (line) => lines.push(line),
      rules: [
        {
          name: 'flaky',
          pattern: { source: [EVENT_SOURCE] },
          targets: [
            {
              id: 'flaky',
              retryPolicy: FAST,
              invoke: async (_envelope, context: DeliveryContext) => {
                attempts.push({ attempt: context.attempt, at: performance.now() });
                if (context.attempt <= 2) throw new Error(`failure ${context.attempt}`);
              },
              deadLetter: async () => {
                throw new Error('must not be dead-lettered');
              },
            },
          ],
        },
      ],
    });

    await client.send(new PutEventsCommand({ Entries: [entry({ n: 1 })] }));
    await bus.flush();

    expect(attempts.map((item) => item.attempt)).toEqual([1, 2, 3]);
    const [first, second, third] = attempts.map((item) => item.at) as [number, number, number];
    // 100 ms then 200 ms, scaled by 0.2: the schedule the bus announced, and the waits it kept
    // (timers may fire a millisecond early).
    expect(lines.filter((line) => line.includes('retrying in'))).toEqual([
      expect.stringMatching(
        /^\[eventbridge\] flaky\/flaky: event \S+ attempt 1 failed \(failure 1\); retrying in 20 ms$/,
      ),
      expect.stringMatching(
        /^\[eventbridge\] flaky\/flaky: event \S+ attempt 2 failed \(failure 2\); retrying in 40 ms$/,
      ),
    ]);
    expect(second - first).toBeGreaterThanOrEqual(19);
    expect(third - second).toBeGreaterThanOrEqual(39);
  });

  it('hands an always-failing delivery to deadLetter after maximumRetryAttempts + 1 attempts', async () => {
    let attempts = 0;
    const deadLetters: { envelope: EventEnvelope; error: unknown; attempt: number }[] = [];
    const { bus, client } = await start({
      rules: [
        {
          name: 'broken',
          pattern: { source: [EVENT_SOURCE] },
          targets: [
            {
              id: 'broken',
              retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeSeconds: 3600 },
              invoke: async () => {
                attempts++;
                throw new Error('subscriber down');
              },
              deadLetter: async (envelope, error, context) => {
                deadLetters.push({ envelope, error, attempt: context.attempt });
              },
            },
          ],
        },
      ],
    });

    const result = await client.send(new PutEventsCommand({ Entries: [entry({ n: 1 })] }));
    await bus.flush();

    expect(attempts).toBe(4);
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]?.envelope.id).toBe(result.Entries?.[0]?.EventId);
    expect(deadLetters[0]?.attempt).toBe(4);
    expect(String(deadLetters[0]?.error)).toMatch(/subscriber down/);
  });

  it('keeps the targets of one event independent: a failing one neither delays nor repeats the other', async () => {
    const healthy = recorder('healthy');
    let failingAttempts = 0;
    let failingGaveUpAt = 0;
    let healthyAt = 0;
    const { bus, client } = await start({
      rules: [
        {
          name: 'fan-out',
          pattern: { source: [EVENT_SOURCE] },
          targets: [
            {
              id: 'failing',
              retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 3600 },
              invoke: async () => {
                failingAttempts++;
                throw new Error('down');
              },
              deadLetter: async () => {
                failingGaveUpAt = performance.now();
              },
            },
            {
              ...healthy.target,
              invoke: async (envelope, context) => {
                healthyAt = performance.now();
                await healthy.target.invoke(envelope, context);
              },
            },
          ],
        },
      ],
    });

    await client.send(new PutEventsCommand({ Entries: [entry({ n: 1 })] }));
    await bus.flush();

    expect(failingAttempts).toBe(3);
    expect(healthy.received).toHaveLength(1);
    expect(healthyAt).toBeLessThan(failingGaveUpAt);
  });

  it('appends dead letters to dead-letter.jsonl under the data dir by default, and logs them', async () => {
    const dataDir = await newDataDir();
    const lines: string[] = [];
    const { bus, client } = await start({
      dataDir,
      log: (line) => lines.push(line),
      rules: [
        {
          name: 'broken',
          pattern: { source: [EVENT_SOURCE] },
          targets: [
            {
              id: 'broken',
              retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 60 },
              invoke: async () => {
                throw new Error('no subscriber');
              },
            },
          ],
        },
      ],
    });

    const result = await client.send(new PutEventsCommand({ Entries: [entry({ n: 1 })] }));
    await bus.flush();

    const deadLetters = (await readFile(join(dataDir, 'eventbridge', 'dead-letter.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map(
        (line) => JSON.parse(line) as { rule: string; target: string; error: string; event: EventEnvelope },
      );
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]).toMatchObject({
      rule: 'broken',
      target: 'broken',
      error: 'no subscriber',
      event: { id: result.Entries?.[0]?.EventId, detail: { n: 1 } },
    });
    expect(lines.some((line) => line.includes('dead-lettered'))).toBe(true);
  });
});

describe('local EventBridge bus: journal durability', () => {
  it('journals accepted events before answering and delivers the unfinished ones after a restart, once', async () => {
    const dataDir = await newDataDir();
    const firstRun: number[] = [];
    const blocked: number[] = [];
    const blockingTarget: LocalTarget = {
      id: 'notifier',
      retryPolicy: NOTIFIER_RULE.retryPolicy,
      invoke: async (envelope, context) => {
        const n = envelope.detail.n as number;
        if (n === 1) {
          firstRun.push(n);
          return;
        }
        blocked.push(n);
        // Blocks until the bus shuts down, like a handler still running when the process is stopped.
        await new Promise<void>((_resolve, reject) => {
          context.signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true });
        });
      },
    };
    const first = await start({
      dataDir,
      rules: [{ name: NOTIFIER_RULE.name, pattern: NOTIFIER_RULE.pattern, targets: [blockingTarget] }],
    });

    const result = await first.client.send(
      new PutEventsCommand({ Entries: [entry({ n: 1 }), entry({ n: 2 }), entry({ n: 3 })] }),
    );
    const ids = result.Entries?.map((item) => item.EventId) as string[];
    const journal = await readFile(join(dataDir, 'eventbridge', 'journal.jsonl'), 'utf8');
    expect(
      journal
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { envelope: EventEnvelope }).envelope.id),
    ).toEqual(ids);
    await vi.waitFor(() => {
      expect(firstRun).toEqual([1]);
      expect(blocked.sort()).toEqual([2, 3]);
    });
    await first.bus.close();

    const secondRun: EventEnvelope[] = [];
    const second = await start({
      dataDir,
      rules: [
        {
          name: NOTIFIER_RULE.name,
          pattern: NOTIFIER_RULE.pattern,
          targets: [
            {
              id: 'notifier',
              retryPolicy: NOTIFIER_RULE.retryPolicy,
              invoke: async (envelope) => {
                secondRun.push(envelope);
              },
            },
          ],
        },
      ],
    });
    await second.bus.flush();

    expect(secondRun.map((envelope) => envelope.id).sort()).toEqual([ids[1], ids[2]].sort());
    expect(secondRun.map((envelope) => envelope.detail.n).sort()).toEqual([2, 3]);
    await second.bus.close();

    const thirdRun: EventEnvelope[] = [];
    const third = await start({
      dataDir,
      rules: [
        {
          name: NOTIFIER_RULE.name,
          pattern: NOTIFIER_RULE.pattern,
          targets: [
            {
              id: 'notifier',
              retryPolicy: NOTIFIER_RULE.retryPolicy,
              invoke: async (envelope) => {
                thirdRun.push(envelope);
              },
            },
          ],
        },
      ],
    });
    await third.bus.flush();

    expect(thirdRun).toEqual([]);
    // Compacted on start: nothing is owed any more.
    expect(await readFile(join(dataDir, 'eventbridge', 'journal.jsonl'), 'utf8')).toBe('');
  });

  it('redelivers only to the target that had not finished when an event has several', async () => {
    const dataDir = await newDataDir();
    const rule = (targets: LocalTarget[]) => [
      { name: 'fan-out', pattern: { source: [EVENT_SOURCE] }, targets },
    ];
    const fast = recorder('fast');
    const first = await start({
      dataDir,
      rules: rule([
        fast.target,
        {
          id: 'slow',
          retryPolicy: FAST,
          invoke: (_envelope, context) =>
            new Promise<void>((_resolve, reject) => {
              context.signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true });
            }),
        },
      ]),
    });
    await first.client.send(new PutEventsCommand({ Entries: [entry({ n: 1 })] }));
    await vi.waitFor(() => expect(fast.received).toHaveLength(1));
    await first.bus.close();

    const fastAgain = recorder('fast');
    const slowAgain = recorder('slow');
    const second = await start({ dataDir, rules: rule([fastAgain.target, slowAgain.target]) });
    await second.bus.flush();

    expect(fastAgain.received).toEqual([]);
    expect(slowAgain.received.map((envelope) => envelope.detail)).toEqual([{ n: 1 }]);
  });
});

describe('toEnvelope', () => {
  it('builds the EventBridge envelope with a time to the second', () => {
    const envelope = toEnvelope(
      {
        Source: EVENT_SOURCE,
        DetailType: DETAIL_TYPES.milestoneRecorded,
        Detail: '{"projectId":"p-1"}',
        Time: new Date('2024-03-12T19:03:58.999Z'),
      },
      { region: 'ap-east-1', accountId: '123456789012', id: 'fixed-id' },
    );

    expect(envelope).toEqual({
      version: '0',
      id: 'fixed-id',
      'detail-type': DETAIL_TYPES.milestoneRecorded,
      source: EVENT_SOURCE,
      account: '123456789012',
      time: '2024-03-12T19:03:58Z',
      region: 'ap-east-1',
      resources: [],
      detail: { projectId: 'p-1' },
    });
  });

  it('reads Time as epoch seconds, as the SDK sends it', () => {
    const envelope = toEnvelope(
      { Source: 's', DetailType: 'd', Detail: '{}', Time: 1710270238.5 },
      { region: 'us-east-1', accountId: '000000000000' },
    );
    expect(envelope.time).toBe('2024-03-12T19:03:58Z');
  });
});
