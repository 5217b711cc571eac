/**
 * Republishing on DynamoDB Local: the stream publisher first publishes what the table holds (the
 * bus mocked, to see every entry), then `republish` derives the events of a window from the
 * table again and must put the very same entries, and nothing outside the window.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createStreamPublisher } from '../../functions/handlers/stream-publisher.js';
import { republish } from '../../functions/services/republish.js';
import { PutCommand } from '../../functions/storage/document-client.js';
import { EventRepository } from '../../functions/storage/event-repository.js';
import { EventSourceRepository } from '../../functions/storage/event-source-repository.js';
import { milestoneFromItem, milestoneToItem } from '../../functions/storage/items.js';
import { noticeToItem } from '../../functions/storage/notice-repository.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { overdueNoticeFixture } from '../support/fixtures.js';
import { silentLogger } from '../support/log-lines.js';
import { mockedEventBus } from '../support/mock-bus.js';
import { milestoneInsert, regionModify, streamRecord } from '../support/stream-records.js';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable('republish');
});
afterAll(async () => {
  await table?.drop();
});

const { bus, busMock } = mockedEventBus();
afterEach(() => busMock.reset());

const sentEntries = () =>
  busMock.commandCalls(PutEventsCommand).flatMap((call) => call.args[0].input.Entries ?? []);
const idOf = (entry: PutEventsRequestEntry) =>
  (JSON.parse(entry.Detail ?? '{}') as { eventId: string }).eventId;
/** The bus takes every entry but those `refuse` names. */
const busAccepting = (refuse: (entry: PutEventsRequestEntry) => boolean = () => false) =>
  busMock.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => ({
    FailedEntryCount: input.Entries.filter(refuse).length,
    Entries: input.Entries.map((entry, i) =>
      refuse(entry) ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' } : { EventId: `e-${i}` },
    ),
  }));

const repositories = () => {
  const options = { db: table.doc, tableName: table.tableName };
  return { sources: new EventSourceRepository(options), events: new EventRepository(options) };
};
const deps = (now = new Date('2024-07-01T00:00:00.000Z')) => ({
  ...repositories(),
  bus,
  busName: 'tracker-bus',
  maxPutAttempts: 1,
  now: () => now,
});

/** A milestone item recorded at `recordedAt`, and its stream INSERT. */
const milestoneAt = (id: string, recordedAt: string, projectId = 'rail-2024') => {
  const image = milestoneInsert('jiangsu', { value: 100, asOf: '2024-06-29' }, null, id, projectId).dynamodb
    ?.NewImage as Record<string, AttributeValue>;
  const item = milestoneToItem({ ...milestoneFromItem(unmarshall(image)), recordedAt });
  return { item, record: streamRecord('INSERT', item) };
};

const overdueNotice = (notedAt: string) => {
  const notice = overdueNoticeFixture(notedAt);
  const item = noticeToItem(notice);
  return { item, record: streamRecord('INSERT', item) };
};

const store = (...items: Record<string, unknown>[]) =>
  Promise.all(items.map((Item) => table.doc.send(new PutCommand({ TableName: table.tableName, Item }))));

const window = { from: new Date('2024-06-30T04:00:00.000Z'), to: new Date('2024-06-30T06:00:00.000Z') };

describe('republish on DynamoDB Local', () => {
  const before = milestoneAt('before-window', '2024-06-30T03:59:59.999Z');
  const inside = milestoneAt('inside-window', '2024-06-30T04:00:00.000Z');
  const notice = overdueNotice('2024-06-30T05:00:00.000Z');
  const after = milestoneAt('after-window', '2024-06-30T06:00:00.000Z');
  // Jiangsu 100 → 400 of 660 at 04:00: 25 % and 50 % reached.
  const thresholds = regionModify({ jiangsu: 100 }, { jiangsu: 400 });
  let original: PutEventsRequestEntry[] = [];

  beforeAll(async () => {
    await store(before.item, inside.item, notice.item, after.item);
    // The first publication: the 50 % announcement does not get through.
    busAccepting((entry) => entry.Detail?.includes('"threshold":50') ?? false);
    const records: DynamoDBRecord[] = [before.record, inside.record, thresholds, notice.record, after.record];
    const outcome = await createStreamPublisher({
      events: repositories().events,
      bus,
      busName: 'tracker-bus',
      maxPutAttempts: 1,
      // Every record here makes valid events: none may be set aside.
      unpublishable: {
        send: async (record, reason) => {
          throw new Error(`record ${record.eventID} set aside: ${reason}`);
        },
      },
      log: silentLogger(),
    })({ Records: records });
    expect(outcome.batchItemFailures).toHaveLength(1);
    original = sentEntries();
    expect(original).toHaveLength(6);
    busMock.reset();
  });

  it('puts exactly the window’s events, each with its original id and content', async () => {
    busAccepting();
    const result = await republish(deps(), window);

    const inWindow = original.filter(
      (entry) => entry.Time && entry.Time >= window.from && entry.Time < window.to,
    );
    expect(inWindow.map((entry) => entry.DetailType).sort()).toEqual([
      'MilestoneRecorded',
      'ProgressThresholdReached',
      'ProgressThresholdReached',
      'ReportOverdue',
    ]);
    // Same content; a claim's stored detail comes back from DynamoDB with its keys in another order.
    const content = (entry: PutEventsRequestEntry) => ({
      type: entry.DetailType,
      detail: JSON.parse(entry.Detail ?? ''),
    });
    const byEventId = (a: { detail: { eventId: string } }, b: { detail: { eventId: string } }) =>
      a.detail.eventId.localeCompare(b.detail.eventId);
    expect(sentEntries().map(content).sort(byEventId)).toEqual(inWindow.map(content).sort(byEventId));
    expect(result.failed).toEqual([]);
    expect(result.published.map((event) => event.detail.eventId).sort()).toEqual(inWindow.map(idOf).sort());
  });

  it('marks the threshold it published as announced, so the stream does not announce it again', async () => {
    const claims = await repositories().events.thresholdClaims('rail-2024');
    expect([...claims.values()].map((claim) => [claim.detail.threshold, claim.status])).toEqual([
      [25, 'published'],
      [50, 'published'],
    ]);
  });

  it('logs the events for replay once, however often they are republished', async () => {
    busAccepting();
    await republish(deps(), window);
    // The log is read by day from `from` on: what follows the window that day is left out here.
    const logged = (await repositories().events.eventsBetween(window.from, window.to)).filter(
      (event) => event.detail.occurredAt < window.to.toISOString(),
    );
    const ids = logged.map((event) => event.detail.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(
      original
        .filter((entry) => entry.Time && entry.Time >= window.from && entry.Time < window.to)
        .map(idOf)
        .sort(),
    );
  });

  it('returns the events the bus refused, with the reason', async () => {
    busAccepting((entry) => entry.DetailType === 'ReportOverdue');
    const result = await republish(deps(), window);
    expect(result.failed).toEqual([
      {
        event: expect.objectContaining({ detailType: 'ReportOverdue' }),
        reason: 'InternalFailure: try again',
        // A failure that may pass: the publisher would retry it, not set it aside.
        permanent: false,
      },
    ]);
    expect(result.failed[0]?.event.detail.eventId).toBe(
      idOf(original.find((e) => e.DetailType === 'ReportOverdue') ?? {}),
    );
    expect(result.published).toHaveLength(3);
  });

  it('sends nothing on a dry run, and says what it would send', async () => {
    busAccepting();
    const result = await republish(deps(), window, { dryRun: true });
    expect(sentEntries()).toEqual([]);
    expect(result.found).toHaveLength(4);
    expect(result.published).toEqual([]);
  });

  it('does not log events whose replay log entry would already have expired', async () => {
    const old = milestoneAt('long-ago', '2024-01-10T00:00:00.000Z', 'ev-charging-2024');
    await store(old.item);
    const oldWindow = {
      from: new Date('2024-01-10T00:00:00.000Z'),
      to: new Date('2024-01-11T00:00:00.000Z'),
    };
    busAccepting();

    const late = await republish(deps(new Date('2024-06-01T00:00:00.000Z')), oldWindow);
    expect(late.published).toHaveLength(1);
    expect(await repositories().events.eventsBetween(oldWindow.from, oldWindow.to)).toEqual([]);

    await republish(deps(new Date('2024-01-11T00:00:00.000Z')), oldWindow);
    expect(await repositories().events.eventsBetween(oldWindow.from, oldWindow.to)).toHaveLength(1);
  });
});
