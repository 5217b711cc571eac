import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStreamPublisher } from '../../functions/handlers/stream-publisher.js';
import { EventRepository } from '../../functions/storage/event-repository.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { milestoneInsert, regionImage, regionModify, streamRecord } from '../support/stream-records.js';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable('publisher');
});
afterAll(async () => {
  await table?.drop();
});

const bus = new EventBridgeClient({
  region: 'ap-northeast-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
const busMock = mockClient(bus);
let log: ReturnType<typeof vi.fn<(line: Record<string, unknown>) => void>>;
beforeEach(() => {
  busMock.reset();
  log = vi.fn<(line: Record<string, unknown>) => void>();
});
afterEach(() => busMock.reset());

const publisher = () =>
  createStreamPublisher({
    events: new EventRepository({ db: table.doc, tableName: table.tableName }),
    bus,
    busName: 'tracker-bus',
    maxPutAttempts: 3,
    backoff: async () => undefined,
    log,
  });

const accept = (entries: PutEventsRequestEntry[] = []) => ({
  FailedEntryCount: 0,
  Entries: entries.map((_, i) => ({ EventId: `e-${i}` })),
});
const sentEntries = () =>
  busMock.commandCalls(PutEventsCommand).flatMap((call) => call.args[0].input.Entries ?? []);

describe('the stream publisher', () => {
  it('puts one event per milestone on the bus, in chunks of at most 10 entries', async () => {
    busMock.on(PutEventsCommand).callsFake((input) => accept(input.Entries));
    const records = Array.from({ length: 23 }, (_, i) =>
      milestoneInsert('zhejiang', { value: i + 1, asOf: '2024-06-30' }, null, `chunk-${i}`),
    );

    const result = await publisher()({ Records: records });

    expect(result.batchItemFailures).toEqual([]);
    const calls = busMock.commandCalls(PutEventsCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 10, 3]);
    expect(sentEntries()[0]).toMatchObject({
      EventBusName: 'tracker-bus',
      Source: 'yrd.livelihood-tracker',
      DetailType: 'MilestoneRecorded',
    });
  });

  it('resends only the entries PutEvents reported as failed', async () => {
    busMock
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 1,
        Entries: [
          { EventId: 'a' },
          { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' },
          { EventId: 'c' },
        ],
      })
      .callsFake((input) => accept(input.Entries));
    const records = ['x', 'y', 'z'].map((id) =>
      milestoneInsert('anhui', { value: 1, asOf: '2024-06-30' }, null, `partial-${id}`),
    );

    const result = await publisher()({ Records: records });

    expect(result.batchItemFailures).toEqual([]);
    const calls = busMock.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input.Entries).toEqual([calls[0]?.args[0].input.Entries?.[1]]);
  });

  it('reports the first record whose event still fails as a batch item failure, never dropping it silently', async () => {
    busMock.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => ({
      FailedEntryCount: 1,
      Entries: input.Entries.map((entry) =>
        entry.Detail?.includes('"milestoneId":"stuck"')
          ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }
          : { EventId: 'ok' },
      ),
    }));
    const ok = milestoneInsert('anhui', { value: 1, asOf: '2024-06-30' }, null, 'fine');
    const stuck = milestoneInsert('anhui', { value: 2, asOf: '2024-06-30' }, null, 'stuck');
    const after = milestoneInsert('anhui', { value: 3, asOf: '2024-06-30' }, null, 'after');

    const result = await publisher()({ Records: [ok, stuck, after] });

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: stuck.dynamodb?.SequenceNumber }]);
    expect(busMock.commandCalls(PutEventsCommand)).toHaveLength(3);
    expect(log).toHaveBeenCalledWith(
      expect.objectContaining({
        message: 'event not published',
        reason: expect.stringContaining('ThrottlingException'),
      }),
    );
  });

  it('treats a failing PutEvents call like failed entries', async () => {
    busMock.on(PutEventsCommand).rejects(new Error('socket hang up'));
    const record = milestoneInsert('shanghai', { value: 1, asOf: '2024-06-30' }, null, 'offline');
    expect((await publisher()({ Records: [record] })).batchItemFailures).toEqual([
      { itemIdentifier: record.dynamodb?.SequenceNumber },
    ]);
  });

  it('refuses an entry over 256 KB before sending it', async () => {
    busMock.on(PutEventsCommand).callsFake((input) => accept(input.Entries));
    const huge = milestoneInsert(
      'jiangsu',
      { value: 1, asOf: '2024-06-30', note: '长'.repeat(90_000) },
      null,
      'huge',
    );
    const small = milestoneInsert('jiangsu', { value: 2, asOf: '2024-06-30' }, null, 'small');

    const result = await publisher()({ Records: [small, huge] });

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: huge.dynamodb?.SequenceNumber }]);
    expect(sentEntries().map((e) => JSON.parse(e.Detail ?? '{}').milestoneId)).toEqual(['small']);
  });

  it('announces a threshold once per project: not again on a retried batch, nor after a dip and a rise', async () => {
    busMock.on(PutEventsCommand).callsFake((input) => accept(input.Entries));
    const project = { projectId: 'ev-charging-2024', target: 70_000 };
    const cross = regionModify({ jiangsu: 30_000 }, { jiangsu: 36_000 }, project);

    await publisher()({ Records: [regionModify({ jiangsu: 10_000 }, { jiangsu: 20_000 }, project)] });
    await publisher()({ Records: [cross] });
    await publisher()({ Records: [cross] });
    await publisher()({ Records: [regionModify({ jiangsu: 36_000 }, { jiangsu: 34_000 }, project)] });
    await publisher()({ Records: [regionModify({ jiangsu: 34_000 }, { jiangsu: 35_500 }, project)] });

    const thresholds = sentEntries().filter((e) => e.DetailType === 'ProgressThresholdReached');
    expect(thresholds.map((e) => JSON.parse(e.Detail ?? '{}').threshold)).toEqual([25, 50]);
  });

  it('announces a threshold a lowered target made reached at the next report, once, and nothing new after', async () => {
    busMock.on(PutEventsCommand).callsFake((input) => accept(input.Entries));
    const before = { projectId: 'elderly-care-2024', target: 100 };
    const after = { projectId: 'elderly-care-2024', target: 60 };
    await publisher()({ Records: [regionModify({ shanghai: 20 }, { shanghai: 40 }, before)] });
    const announced = () =>
      sentEntries()
        .filter((e) => e.DetailType === 'ProgressThresholdReached')
        .map((e) => JSON.parse(e.Detail ?? '{}'));
    expect(announced().map((d) => d.threshold)).toEqual([25]);

    // The coordinator lowers the target to 60 (40 is now 66.67 %); reports follow, two in one batch.
    const next = streamRecord(
      'MODIFY',
      regionImage({ shanghai: 40, anhui: 1 }, { ...after, province: 'anhui' }),
      regionImage({ shanghai: 40 }, before),
    );
    await publisher()({
      Records: [next, regionModify({ shanghai: 40, anhui: 1 }, { shanghai: 40, anhui: 2 }, after)],
    });
    // Thresholds already published are known from one read of the claims: no claim is written.
    const claimThreshold = vi.spyOn(EventRepository.prototype, 'claimThreshold');
    await publisher()({
      Records: [regionModify({ shanghai: 40, anhui: 2 }, { shanghai: 40, anhui: 3 }, after)],
    });
    expect(claimThreshold).not.toHaveBeenCalled();
    claimThreshold.mockRestore();

    expect(announced()).toEqual([
      expect.objectContaining({ threshold: 25, target: 100 }),
      expect.objectContaining({ threshold: 50, target: 60, totalAfter: 41, province: 'anhui' }),
    ]);
  });

  it('publishes a threshold again after a failed attempt, with the content it was first claimed with', async () => {
    const project = { projectId: 'virtual-windows-2024', target: 200 };
    busMock
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    const first = regionModify({ jiangsu: 40 }, { jiangsu: 60 }, project);
    expect((await publisher()({ Records: [first] })).batchItemFailures).toHaveLength(1);

    busMock.reset();
    busMock.on(PutEventsCommand).callsFake((input) => accept(input.Entries));
    await publisher()({ Records: [regionModify({ jiangsu: 40 }, { jiangsu: 70 }, project)] });

    const [entry] = sentEntries();
    expect(JSON.parse(entry?.Detail ?? '{}')).toMatchObject({ threshold: 25, totalAfter: 60 });
  });

  it('sends nothing for a batch without facts to announce', async () => {
    const result = await publisher()({ Records: [regionModify({ jiangsu: 1 }, { jiangsu: 2 })] });
    expect(result.batchItemFailures).toEqual([]);
    expect(busMock.commandCalls(PutEventsCommand)).toHaveLength(0);
  });
});
