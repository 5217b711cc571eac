import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideMilestone } from '../../functions/domain/milestone.js';
import type { Role } from '../../functions/domain/provinces.js';
import { PROVINCES, type Province } from '../../functions/domain/provinces.js';
import { createGetProjectHandler } from '../../functions/handlers/get-project.js';
import { createListMilestonesHandler } from '../../functions/handlers/list-milestones.js';
import { createRecordMilestoneHandler } from '../../functions/handlers/record-milestone.js';
import { BatchWriteCommand, QueryCommand, ScanCommand } from '../../functions/storage/document-client.js';
import { milestoneToItem } from '../../functions/storage/items.js';
import { regionKey } from '../../functions/storage/keys.js';
import { ProjectRepository } from '../../functions/storage/project-repository.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { allCatalogueProjects, callerFixture, httpEvent, lambdaContext } from '../support/fixtures.js';
import { reportRequest } from '../support/requests.js';

/** Tests run "today" in late 2024 so that every 2024 date is in the past. */
const NOW = new Date('2024-12-01T02:00:00.000Z');

let table: TestTable;
let record: ReturnType<typeof createRecordMilestoneHandler>;

beforeAll(async () => {
  table = await createTestTable('record');
  const deps = { db: table.doc, tableName: table.tableName, now: () => NOW };
  await new ProjectRepository(deps).seed(allCatalogueProjects());
  record = createRecordMilestoneHandler(deps);
});
afterAll(async () => {
  await table?.drop();
});

const post = (projectId: string, role: Role, key: string, body: unknown) =>
  record(reportRequest(projectId, role, key, body), lambdaContext());

/**
 * Posts like a well-behaved client: a response with Retry-After (503, or 409 for a contended
 * province) is retried after a jittered pause with the same key. The invocation gets a minute,
 * since 200 writers contending on four items is a correctness test, not a latency test.
 */
const postWithRetry = async (projectId: string, role: Role, key: string, body: unknown) => {
  const context = { ...lambdaContext(), getRemainingTimeInMillis: () => 60_000 };
  for (let attempt = 1; ; attempt++) {
    const result = await record(reportRequest(projectId, role, key, body), context);
    if (result.headers['retry-after'] === undefined || attempt === 20) return { result, attempts: attempt };
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 1000));
  }
};

const countItems = async (entity: string) => {
  const scan = await table.doc.send(
    new ScanCommand({
      TableName: table.tableName,
      FilterExpression: 'entity = :e',
      ExpressionAttributeValues: { ':e': entity },
      Select: 'COUNT',
    }),
  );
  return scan.Count ?? 0;
};

const dayOf2024 = (day: number) => new Date(Date.UTC(2024, 0, day)).toISOString().slice(0, 10);

describe('recording milestones on DynamoDB Local', () => {
  it('keeps the region total exact under 4 provinces × 50 concurrent reports, losing none', async () => {
    const perKm: Record<Province, number> = { shanghai: 1.1, jiangsu: 2.5, zhejiang: 1.25, anhui: 0.75 };
    const reports = PROVINCES.flatMap((province) =>
      Array.from({ length: 50 }, (_, i) => ({
        province,
        key: `concurrent-${province}-${i + 1}`,
        body: { value: Math.round(perKm[province] * (i + 1) * 1000) / 1000, asOf: dayOf2024(i + 1) },
      })),
    );

    const outcomes = await Promise.all(
      reports.map((r) => postWithRetry('rail-2024', r.province, r.key, r.body)),
    );

    expect(outcomes.map((o) => o.result.statusCode)).toEqual(reports.map(() => 201));
    const region = await table.doc.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'PK = :pk AND SK = :sk',
        ExpressionAttributeValues: { ':pk': regionKey('rail-2024').PK, ':sk': regionKey('rail-2024').SK },
        ConsistentRead: true,
      }),
    );
    expect(region.Items?.[0]).toMatchObject({
      total: 280,
      provinceValues: { shanghai: 55, jiangsu: 125, zhejiang: 62.5, anhui: 37.5 },
    });
    const milestones = await table.doc.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :m)',
        ExpressionAttributeValues: { ':pk': 'PROJECT#rail-2024', ':m': 'MILESTONE#' },
        Select: 'COUNT',
      }),
    );
    expect(milestones.Count).toBe(200);
    const retried = outcomes.filter((o) => o.attempts > 1).length;
    console.info(`200 concurrent reports: ${retried} needed a client retry`);
  }, 120_000);

  it('replays the same key and body without writing twice, even when sent concurrently', async () => {
    const before = await countItems('Milestone');
    const body = { value: 20, asOf: '2024-06-30', note: '新建公共充电桩' };

    const responses = await Promise.all(
      Array.from({ length: 5 }, () => post('ev-charging-2024', 'anhui', 'same-key', body)),
    );

    expect(new Set(responses.map((r) => r.body)).size).toBe(1);
    expect(responses.every((r) => r.statusCode === 201)).toBe(true);
    expect(await countItems('Milestone')).toBe(before + 1);
  });

  it('refuses the same key with another body and writes nothing', async () => {
    await post('ev-charging-2024', 'zhejiang', 'reused', { value: 10, asOf: '2024-06-30' });
    const before = await countItems('Milestone');
    const result = await post('ev-charging-2024', 'zhejiang', 'reused', { value: 11, asOf: '2024-06-30' });
    expect(result.statusCode).toBe(409);
    expect(await countItems('Milestone')).toBe(before);
  });

  it('holds a key for a day: another report under it is refused 23 h later and recorded 25 h later', async () => {
    const hours = (n: number) => new Date(NOW.getTime() + n * 60 * 60 * 1000);
    let now = NOW;
    const later = createRecordMilestoneHandler({ db: table.doc, tableName: table.tableName, now: () => now });
    const postAt = (at: Date, body: unknown) => {
      now = at;
      return later(reportRequest('elderly-care-2024', 'shanghai', 'daily', body), lambdaContext());
    };
    const first = await postAt(NOW, { value: 10, asOf: '2024-06-30' });
    expect(first.statusCode).toBe(201);
    const before = await countItems('Milestone');

    const tooSoon = await postAt(hours(23), { value: 12, asOf: '2024-07-31' });
    expect(tooSoon.statusCode).toBe(409);
    expect(JSON.parse(tooSoon.body).type).toMatch(/idempotency-key-reused$/);
    expect(await countItems('Milestone')).toBe(before);

    // The expired record is still in the table (TTL deletes it some time later): the commit's
    // condition on expiresAt, evaluated by the database, lets the new report take the key.
    const nextDay = await postAt(hours(25), { value: 12, asOf: '2024-07-31' });
    expect(nextDay.statusCode).toBe(201);
    expect(nextDay.headers['idempotent-replayed']).toBeUndefined();
    expect(JSON.parse(nextDay.body).milestone).toMatchObject({ value: 12, previousValue: 10 });
    expect(await countItems('Milestone')).toBe(before + 1);

    // From then on the key replays the new report's response.
    const replay = await postAt(hours(26), { value: 12, asOf: '2024-07-31' });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toBe(nextDay.body);
  });

  it('scopes keys to the caller: two offices may use the same key', async () => {
    const a = await post('virtual-windows-2024', 'shanghai', 'shared-key', { value: 5, asOf: '2024-06-30' });
    const b = await post('virtual-windows-2024', 'jiangsu', 'shared-key', { value: 7, asOf: '2024-06-30' });
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
  });

  it('writes nothing for a refused decrease, then keeps a correction next to what it corrects', async () => {
    const project = 'medical-insurance-2024';
    await post(project, 'jiangsu', 'c1', { value: 8, asOf: '2024-06-30' });
    const before = await countItems('Milestone');

    const refused = await post(project, 'jiangsu', 'c2', { value: 6, asOf: '2024-07-31' });
    expect(refused.statusCode).toBe(409);
    expect(await countItems('Milestone')).toBe(before);

    const corrected = await post(project, 'jiangsu', 'c3', {
      value: 6,
      asOf: '2024-07-31',
      correctionReason: '两项重复统计',
    });
    expect(corrected.statusCode).toBe(201);
    const backfill = await post(project, 'jiangsu', 'c4', { value: 3, asOf: '2024-03-31' });
    expect(JSON.parse(backfill.body).milestone.kind).toBe('backfill');

    const list = createListMilestonesHandler({ db: table.doc, tableName: table.tableName, now: () => NOW });
    const page = await list(
      httpEvent({
        path: `/projects/${project}/milestones`,
        pathParameters: { projectId: project },
        query: { province: 'jiangsu' },
      }),
      lambdaContext(),
    );
    const history = JSON.parse(page.body).milestones as {
      value: number;
      kind: string;
      correctionReason?: string;
    }[];
    expect(history.map((m) => [m.value, m.kind])).toEqual([
      [6, 'correction'],
      [8, 'report'],
      [3, 'backfill'],
    ]);
    expect(history[0]?.correctionReason).toBe('两项重复统计');

    const get = createGetProjectHandler({ db: table.doc, tableName: table.tableName, now: () => NOW });
    const view = JSON.parse(
      (
        await get(
          httpEvent({ path: `/projects/${project}`, pathParameters: { projectId: project } }),
          lambdaContext(),
        )
      ).body,
    );
    expect(view.progress.provinces.find((p: { province: string }) => p.province === 'jiangsu')).toMatchObject(
      {
        value: 6,
        asOf: '2024-07-31',
        reportCount: 3,
      },
    );
  });

  it('pages through the history with cursors, newest first, without gaps or repeats', async () => {
    const list = createListMilestonesHandler({ db: table.doc, tableName: table.tableName, now: () => NOW });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string> = {
        province: 'jiangsu',
        limit: '7',
        ...(cursor ? { cursor } : {}),
      };
      const page = JSON.parse(
        (
          await list(
            httpEvent({
              path: '/projects/rail-2024/milestones',
              pathParameters: { projectId: 'rail-2024' },
              query,
            }),
            lambdaContext(),
          )
        ).body,
      );
      seen.push(...page.milestones.map((m: { asOf: string }) => m.asOf));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(50);
    expect(seen).toEqual([...seen].sort().reverse());
  });
});

describe('read cost', () => {
  it("reading a project's progress costs the same with 10 and with 1,000 milestones", async () => {
    const projects = new ProjectRepository({
      db: table.doc,
      tableName: table.tableName,
      measureCapacity: true,
    });
    const project = allCatalogueProjects().find((p) => p.id === 'virtual-windows-2024');
    if (!project) throw new Error('missing fixture');
    const addMilestones = async (count: number, offset: number) => {
      const items = Array.from({ length: count }, (_, i) =>
        milestoneToItem(
          decideMilestone({
            project,
            province: 'anhui',
            current: null,
            report: { value: 1, asOf: '2024-05-01', note: 'x'.repeat(200) },
            caller: callerFixture('anhui'),
            milestoneId: `bulk-${offset + i}`,
            now: NOW,
          }).milestone,
        ),
      );
      for (let i = 0; i < items.length; i += 25) {
        await table.doc.send(
          new BatchWriteCommand({
            RequestItems: {
              [table.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
            },
          }),
        );
      }
    };

    await addMilestones(10, 0);
    await projects.getView('virtual-windows-2024');
    const withTen = projects.lastReadCost.consumedCapacity;
    await projects.listYear(2024);
    const listWithTen = projects.lastReadCost.consumedCapacity;

    await addMilestones(990, 10);
    await projects.getView('virtual-windows-2024');
    const withThousand = projects.lastReadCost.consumedCapacity;
    await projects.listYear(2024);
    const listWithThousand = projects.lastReadCost.consumedCapacity;

    expect(withTen).toBeGreaterThan(0);
    expect(withThousand).toBe(withTen);
    expect(listWithThousand).toBe(listWithTen);
  });
});
