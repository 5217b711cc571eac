import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideMilestone } from '../../functions/domain/milestone.js';
import type { Province } from '../../functions/domain/provinces.js';
import { createListMilestonesHandler } from '../../functions/handlers/list-milestones.js';
import { BatchWriteCommand } from '../../functions/storage/document-client.js';
import { milestoneToItem } from '../../functions/storage/items.js';
import { ProjectRepository } from '../../functions/storage/project-repository.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { allCatalogueProjects, callerFixture, httpEvent, lambdaContext } from '../support/fixtures.js';

/**
 * Cursors against the real query engine: DynamoDB refuses a start key that does not fit the query
 * (another partition, a missing or extra key attribute) with an error the
 * API would turn into a 500. Every such cursor must be stopped before it reaches the database.
 */

const NOW = new Date('2024-12-01T02:00:00.000Z');
const PROJECT = 'rail-2024';

let table: TestTable;
let list: ReturnType<typeof createListMilestonesHandler>;

beforeAll(async () => {
  table = await createTestTable('cursor');
  const deps = { db: table.doc, tableName: table.tableName, now: () => NOW };
  const projects = allCatalogueProjects();
  await new ProjectRepository(deps).seed(projects);
  const project = projects.find((p) => p.id === PROJECT);
  if (!project) throw new Error('missing fixture');
  const items = (['jiangsu', 'anhui'] as Province[]).flatMap((province) =>
    [1, 2, 3].map((day) =>
      milestoneToItem(
        decideMilestone({
          project,
          province,
          current: null,
          report: { value: day, asOf: `2024-05-0${day}` },
          caller: callerFixture(province),
          milestoneId: `m-${province}-${day}`,
          now: NOW,
        }).milestone,
      ),
    ),
  );
  await table.doc.send(
    new BatchWriteCommand({
      RequestItems: { [table.tableName]: items.map((Item) => ({ PutRequest: { Item } })) },
    }),
  );
  list = createListMilestonesHandler(deps);
});
afterAll(async () => {
  await table?.drop();
});

const page = async (query: Record<string, string>) => {
  const result = await list(
    httpEvent({
      routeKey: 'GET /projects/{projectId}/milestones',
      path: `/projects/${PROJECT}/milestones`,
      pathParameters: { projectId: PROJECT },
      query,
    }),
    lambdaContext(),
  );
  return { statusCode: result.statusCode, headers: result.headers, body: JSON.parse(result.body) };
};

/** A genuine cursor: the first page's nextCursor of that listing. */
const issuedCursor = async (province?: Province): Promise<string> => {
  const first = await page({ limit: '1', ...(province ? { province } : {}) });
  expect(first.statusCode).toBe(200);
  expect(typeof first.body.nextCursor).toBe('string');
  return first.body.nextCursor as string;
};

const keyOf = (cursor: string) =>
  JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, string>;
const cursorOf = (key: Record<string, string>) =>
  Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

const expectCursorRefused = (result: Awaited<ReturnType<typeof page>>) => {
  expect(result.statusCode).toBe(400);
  expect(result.headers['content-type']).toBe('application/problem+json');
  expect(result.body.errors).toEqual([
    { field: 'cursor', message: 'use the nextCursor returned by the previous page' },
  ]);
};

describe('history cursors on DynamoDB Local', () => {
  it("answers 400, not 500, to a cursor from another province's listing", async () => {
    const jiangsu = await issuedCursor('jiangsu');
    expectCursorRefused(await page({ province: 'anhui', cursor: jiangsu }));
  });

  it.each([
    [
      'the unfiltered listing, with an extra index attribute',
      undefined,
      (key: Record<string, string>) => ({ ...key, GSI1SK: key.SK ?? '' }),
    ],
    [
      'a province listing, without its index sort key',
      'jiangsu',
      ({ GSI1SK: _, ...key }: Record<string, string>) => key,
    ],
    [
      'a province listing, with an index sort key outside the milestones',
      'jiangsu',
      (key: Record<string, string>) => ({ ...key, GSI1SK: 'STATE#PROVINCE#jiangsu' }),
    ],
  ] as const)('answers 400, not 500, to a cursor of %s', async (_, province, tamper) => {
    const issued = await issuedCursor(province);
    const query: Record<string, string> = province ? { province } : {};
    expectCursorRefused(await page({ ...query, cursor: cursorOf(tamper(keyOf(issued))) }));
  });

  it('still pages a province to the end with the cursors it issued', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const result = await page({ province: 'anhui', limit: '2', ...(cursor ? { cursor } : {}) });
      expect(result.statusCode).toBe(200);
      seen.push(...result.body.milestones.map((m: { id: string }) => m.id));
      cursor = result.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['m-anhui-3', 'm-anhui-2', 'm-anhui-1']);
  });
});
