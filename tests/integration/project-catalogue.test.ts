import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createListProjectsHandler } from '../../functions/handlers/list-projects.js';
import { createPutProjectHandler } from '../../functions/handlers/put-project.js';
import { createRecordMilestoneHandler } from '../../functions/handlers/record-milestone.js';
import { ProjectRepository } from '../../functions/storage/project-repository.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { allCatalogueProjects, httpEvent, lambdaContext } from '../support/fixtures.js';

const NOW = new Date('2024-12-01T02:00:00.000Z');
let table: TestTable;
let deps: { db: TestTable['doc']; tableName: string; now: () => Date };

beforeAll(async () => {
  table = await createTestTable('catalogue');
  deps = { db: table.doc, tableName: table.tableName, now: () => NOW };
});
afterAll(async () => {
  await table?.drop();
});

const listYear = async (year: string) =>
  JSON.parse(
    (
      await createListProjectsHandler(deps)(
        httpEvent({ path: '/projects', query: { year } }),
        lambdaContext(),
      )
    ).body,
  );

describe('the catalogue on DynamoDB Local', () => {
  it('seeds the 2024 list once and leaves existing entries and their progress alone on a second seed', async () => {
    const projects = new ProjectRepository(deps);
    expect(await projects.seed(allCatalogueProjects())).toHaveLength(5);
    const record = createRecordMilestoneHandler(deps);
    await record(
      httpEvent({
        method: 'POST',
        path: '/projects/rail-2024/milestones',
        pathParameters: { projectId: 'rail-2024' },
        role: 'anhui',
        headers: { 'idempotency-key': 'seed-1' },
        body: { value: 33.5, asOf: '2024-06-30' },
      }),
      lambdaContext(),
    );

    expect(await projects.seed(allCatalogueProjects('2030-01-01T00:00:00.000Z'))).toEqual([]);

    const list = await listYear('2024');
    expect(list.projects.map((p: { project: { id: string } }) => p.project.id)).toEqual([
      'elderly-care-2024',
      'ev-charging-2024',
      'medical-insurance-2024',
      'rail-2024',
      'virtual-windows-2024',
    ]);
    const rail = list.projects.find((p: { project: { id: string } }) => p.project.id === 'rail-2024');
    expect(rail.progress).toMatchObject({ total: 33.5, status: 'at-risk' });
    expect(rail.project.updatedAt).toBe('2024-01-01T00:00:00.000Z');
  });

  it("lets the coordinator add a project to another year's list and update it, keeping years apart", async () => {
    const put = createPutProjectHandler(deps);
    const event = (body: unknown) =>
      httpEvent({
        method: 'PUT',
        path: '/projects/rail-2025',
        pathParameters: { projectId: 'rail-2025' },
        role: 'coordinator',
        body,
      });
    const definition = {
      year: 2025,
      name: { zh: '建设轨道上的长三角', en: 'A rail-connected YRD' },
      target: 500,
    };

    expect((await put(event(definition), lambdaContext())).statusCode).toBe(201);
    const updated = await put(event({ ...definition, target: 550 }), lambdaContext());
    expect(updated.statusCode).toBe(200);
    expect(JSON.parse(updated.body).project).toMatchObject({ version: 2, target: 550 });
    expect((await put(event({ ...definition, year: 2026 }), lambdaContext())).statusCode).toBe(409);

    const list2025 = await listYear('2025');
    expect(list2025.projects.map((p: { project: { id: string } }) => p.project.id)).toEqual(['rail-2025']);
    expect((await listYear('2024')).projects).toHaveLength(5);
  });
});
