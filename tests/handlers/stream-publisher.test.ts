import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type UnpublishableRecordMessage,
  UnpublishableRecordQueue,
} from '../../functions/events/unpublishable-records.js';
import { createStreamPublisher } from '../../functions/handlers/stream-publisher.js';
import { createLogger } from '../../functions/observability/logger.js';
import { METRIC } from '../../functions/observability/metric-names.js';
import { EventRepository } from '../../functions/storage/event-repository.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { recordingMetrics } from '../support/metrics.js';
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
const sqs = new SQSClient({
  region: 'ap-northeast-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
const sqsMock = mockClient(sqs);
const FAILURE_QUEUE_URL = 'https://sqs.ap-northeast-1.amazonaws.com/123456789012/StreamFailures';
let log: ReturnType<typeof vi.fn<(line: Record<string, unknown>) => void>>;
let metrics = recordingMetrics();
beforeEach(() => {
  metrics = recordingMetrics();
  busMock.reset();
  sqsMock.reset();
  sqsMock.on(SendMessageCommand).resolves({ MessageId: 'queued' });
  log = vi.fn<(line: Record<string, unknown>) => void>();
});
afterEach(() => {
  busMock.reset();
  sqsMock.reset();
});

const publisher = () =>
  createStreamPublisher({
    events: new EventRepository({ db: table.doc, tableName: table.tableName }),
    bus,
    busName: 'tracker-bus',
    unpublishable: new UnpublishableRecordQueue({ sqs, queueUrl: FAILURE_QUEUE_URL }),
    maxPutAttempts: 3,
    backoff: async () => undefined,
    log: createLogger({ sink: (_, line) => log(line) }),
    metrics: metrics.metrics,
  });

const accept = (entries: PutEventsRequestEntry[] = []) => ({
  FailedEntryCount: 0,
  Entries: entries.map((_, i) => ({ EventId: `e-${i}` })),
});
const sentEntries = () =>
  busMock.commandCalls(PutEventsCommand).flatMap((call) => call.args[0].input.Entries ?? []);
/** A PutEvents answer failing the entry of one milestone with `ErrorCode`, and accepting the others. */
const refusing =
  (milestoneId: string, ErrorCode: string, ErrorMessage: string) =>
  (input: { Entries: PutEventsRequestEntry[] }) => ({
    FailedEntryCount: 1,
    Entries: input.Entries.map((entry) =>
      entry.Detail?.includes(`"milestoneId":"${milestoneId}"`)
        ? { ErrorCode, ErrorMessage }
        : { EventId: 'ok' },
    ),
  });
const sentMilestoneIds = () => sentEntries().map((e) => JSON.parse(e.Detail ?? '{}').milestoneId);
/** The messages sent to the stream failure queue, read back as the person on duty reads them. */
const queuedMessages = () =>
  sqsMock.commandCalls(SendMessageCommand).map((call) => {
    expect(call.args[0].input.QueueUrl).toBe(FAILURE_QUEUE_URL);
    return JSON.parse(call.args[0].input.MessageBody ?? '{}') as UnpublishableRecordMessage;
  });

/** A copy of `record` whose new image has `changes` applied (low-level attribute values). */
const withNewImage = (record: DynamoDBRecord, changes: Record<string, AttributeValue | undefined>) => {
  const copy = structuredClone(record);
  const image = { ...copy.dynamodb?.NewImage, ...changes };
  for (const [name, value] of Object.entries(image)) if (value === undefined) delete image[name];
  if (copy.dynamodb) copy.dynamodb.NewImage = image as Record<string, AttributeValue>;
  return copy;
};

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
    expect(metrics.totals()).toEqual({ [METRIC.eventsPublished]: 23 });
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
    busMock.on(PutEventsCommand).callsFake(refusing('stuck', 'ThrottlingException', 'Rate exceeded'));
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
    expect(metrics.totals()).toEqual({ [METRIC.eventsPublished]: 2, [METRIC.publishFailures]: 1 });
  });

  it('treats a failing PutEvents call like failed entries', async () => {
    busMock.on(PutEventsCommand).rejects(new Error('socket hang up'));
    const record = milestoneInsert('shanghai', { value: 1, asOf: '2024-06-30' }, null, 'offline');
    expect((await publisher()({ Records: [record] })).batchItemFailures).toEqual([
      { itemIdentifier: record.dynamodb?.SequenceNumber },
    ]);
    expect(metrics.totals()).toEqual({ [METRIC.publishFailures]: 1 });
  });

  it('refuses an entry over 256 KB before sending it, and sets its record aside with its content instead of retrying it', async () => {
    busMock.on(PutEventsCommand).callsFake((input) => accept(input.Entries));
    const huge = milestoneInsert(
      'jiangsu',
      { value: 1, asOf: '2024-06-30', note: '长'.repeat(90_000) },
      null,
      'huge',
    );
    const small = milestoneInsert('jiangsu', { value: 2, asOf: '2024-06-30' }, null, 'small');
    const after = milestoneInsert('jiangsu', { value: 3, asOf: '2024-06-30' }, null, 'after-huge');

    const result = await publisher()({ Records: [small, huge, after] });

    // Retrying could never help: the shard moves on, and nothing of the record is lost.
    expect(result.batchItemFailures).toEqual([]);
    expect(sentMilestoneIds()).toEqual(['small', 'after-huge']);
    const messages = queuedMessages();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      kind: 'UnpublishableStreamRecord',
      reason: expect.stringContaining('EventBridge accepts at most 262144'),
      noticedAt: expect.any(String),
    });
    expect(messages[0]?.record).toEqual(huge);
    expect(log).toHaveBeenCalledWith(
      expect.objectContaining({ level: 'error', sequenceNumber: huge.dynamodb?.SequenceNumber }),
    );
    // The refused entry counts once, not again as the record set aside for it.
    expect(metrics.totals()).toEqual({ [METRIC.eventsPublished]: 2, [METRIC.publishFailures]: 1 });
  });

  it('sends a record that cannot be read, or whose event breaks the schema, to the stream failure queue with its content', async () => {
    busMock.on(PutEventsCommand).callsFake((input) => accept(input.Entries));
    const first = milestoneInsert('anhui', { value: 1, asOf: '2024-06-30' }, null, 'first');
    const unreadable = withNewImage(milestoneInsert('anhui', { value: 2, asOf: '2024-06-30' }, null, 'u'), {
      value: { Q: 'not a DynamoDB type' } as unknown as AttributeValue,
    });
    const misfit = withNewImage(milestoneInsert('anhui', { value: 3, asOf: '2024-06-30' }, null, 'misfit'), {
      province: { S: 'tokyo' },
    });
    const last = milestoneInsert('anhui', { value: 4, asOf: '2024-06-30' }, null, 'last');

    const result = await publisher()({ Records: [first, unreadable, misfit, last] });

    expect(result.batchItemFailures).toEqual([]);
    expect(sentMilestoneIds()).toEqual(['first', 'last']);
    const messages = queuedMessages();
    expect(messages.map((m) => m.record)).toEqual([unreadable, misfit]);
    expect(messages[0]?.reason).toMatch(/^the record cannot be read: /);
    expect(messages[1]?.reason).toBe(
      'its MilestoneRecorded event breaks the schema: province: Invalid option: expected one of "shanghai"|"jiangsu"|"zhejiang"|"anhui"',
    );
    expect(messages[1]?.record.dynamodb?.NewImage?.province).toEqual({ S: 'tokyo' });
    expect(metrics.totals()).toEqual({ [METRIC.eventsPublished]: 2, [METRIC.publishFailures]: 2 });
  });

  it('sets aside an entry EventBridge refuses as invalid without sending it again', async () => {
    busMock
      .on(PutEventsCommand)
      .callsFake(refusing('refused', 'InvalidArgument', 'Parameter Detail is not valid'));
    const refused = milestoneInsert('zhejiang', { value: 1, asOf: '2024-06-30' }, null, 'refused');
    const fine = milestoneInsert('zhejiang', { value: 2, asOf: '2024-06-30' }, null, 'fine-after');

    const result = await publisher()({ Records: [refused, fine] });

    expect(result.batchItemFailures).toEqual([]);
    expect(busMock.commandCalls(PutEventsCommand)).toHaveLength(1);
    expect(queuedMessages()).toEqual([
      expect.objectContaining({ reason: expect.stringContaining('InvalidArgument'), record: refused }),
    ]);
  });

  it.each([
    ['the bus does not exist', 'ResourceNotFoundException', 'Event bus tracker-bus does not exist.'],
    ['the role may not put events', 'AccessDeniedException', 'not authorized to perform: events:PutEvents'],
    ['EventBridge is unavailable', 'ServiceUnavailable', 'Service unavailable'],
  ])(
    'keeps retrying, and sets nothing aside, while %s; then publishes everything once',
    async (_, name, text) => {
      const refusal = Object.assign(new Error(text), { name });
      busMock.on(PutEventsCommand).rejects(refusal);
      const records = ['one', 'two'].map((id) =>
        milestoneInsert('shanghai', { value: 1, asOf: '2024-06-30' }, null, `outage-${name}-${id}`),
      );

      // As Lambda does with retryAttempts -1: the same batch again and again, far past the old 10.
      for (let invocation = 0; invocation < 12; invocation++) {
        expect((await publisher()({ Records: records })).batchItemFailures).toEqual([
          { itemIdentifier: records[0]?.dynamodb?.SequenceNumber },
        ]);
      }
      expect(queuedMessages()).toEqual([]);

      busMock.reset();
      busMock.on(PutEventsCommand).callsFake((input) => accept(input.Entries));
      expect((await publisher()({ Records: records })).batchItemFailures).toEqual([]);
      expect(sentMilestoneIds()).toEqual([`outage-${name}-one`, `outage-${name}-two`]);
      expect(queuedMessages()).toEqual([]);
    },
  );

  it('sets aside only the unpublishable records before the first one to retry, so a retry sends none twice', async () => {
    busMock.on(PutEventsCommand).callsFake(refusing('throttled', 'ThrottlingException', 'Rate exceeded'));
    const misfit = (id: string) =>
      withNewImage(milestoneInsert('anhui', { value: 1, asOf: '2024-06-30' }, null, id), {
        recordedBy: { M: marshall({ subject: 's' }) as Record<string, AttributeValue> },
      });
    const before = misfit('misfit-before');
    const throttled = milestoneInsert('anhui', { value: 2, asOf: '2024-06-30' }, null, 'throttled');
    const afterwards = misfit('misfit-after');

    const result = await publisher()({ Records: [before, throttled, afterwards] });

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: throttled.dynamodb?.SequenceNumber }]);
    expect(queuedMessages().map((m) => m.record)).toEqual([before]);
  });

  it('retries from a record the stream failure queue could not take', async () => {
    busMock.on(PutEventsCommand).callsFake((input) => accept(input.Entries));
    sqsMock
      .on(SendMessageCommand)
      .rejects(Object.assign(new Error('queue unavailable'), { name: 'ServiceUnavailable' }));
    const fine = milestoneInsert('jiangsu', { value: 1, asOf: '2024-06-30' }, null, 'fine-first');
    const misfit = withNewImage(milestoneInsert('jiangsu', { value: 2, asOf: '2024-06-30' }, null, 'mf'), {
      asOf: { S: 'yesterday' },
    });

    const result = await publisher()({ Records: [fine, misfit] });

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: misfit.dynamodb?.SequenceNumber }]);
    expect(sentMilestoneIds()).toEqual(['fine-first']);
    expect(log).toHaveBeenCalledWith(
      expect.objectContaining({
        message: 'unpublishable record not set aside; retrying it',
        reason: expect.stringContaining('queue unavailable'),
      }),
    );
    expect(metrics.totals()).toEqual({ [METRIC.eventsPublished]: 1, [METRIC.publishFailures]: 1 });
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
    expect(metrics.totals()[METRIC.thresholdsReached]).toBe(2);
    expect(metrics.totals()[METRIC.eventsPublished]).toBe(sentEntries().length);
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
