import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../functions/domain/project.js';
import { createPutProjectHandler } from '../../functions/handlers/put-project.js';
import { createRecordMilestoneHandler } from '../../functions/handlers/record-milestone.js';
import {
  BatchGetCommand,
  type DocumentClient,
  QueryCommand,
  TransactWriteCommand,
} from '../../functions/storage/document-client.js';
import { ProjectRepository } from '../../functions/storage/project-repository.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { lambdaContext, projectFixture } from '../support/fixtures.js';
import { projectDefinitionRequest, reportRequest } from '../support/requests.js';

const NOW = new Date('2024-12-01T02:00:00.000Z');
let table: TestTable;

beforeAll(async () => {
  table = await createTestTable('report-definition');
});
afterAll(async () => {
  await table?.drop();
});

/**
 * The table, seen by a report that stops between its read and its commit until `resume()`: the
 * moment a coordinator's PUT can land in. Counts the report's reads (one per attempt).
 */
const pausedBeforeCommit = () => {
  const send = table.doc.send.bind(table.doc) as (command: unknown) => Promise<unknown>;
  let reads = 0;
  let paused = false;
  let reachedCommit!: () => void;
  const atCommit = new Promise<void>((resolve) => {
    reachedCommit = resolve;
  });
  let resume!: () => void;
  const resumed = new Promise<void>((resolve) => {
    resume = resolve;
  });
  const db = {
    send: async (command: unknown): Promise<unknown> => {
      if (command instanceof BatchGetCommand) reads += 1;
      if (command instanceof TransactWriteCommand && !paused) {
        paused = true;
        reachedCommit();
        await resumed;
      }
      return send(command);
    },
  } as unknown as DocumentClient;
  return { db, atCommit, resume, reads: () => reads };
};

const report = (db: DocumentClient, projectId: string, key: string, body: unknown) =>
  createRecordMilestoneHandler({ db, tableName: table.tableName, now: () => NOW })(
    reportRequest(projectId, 'jiangsu', key, body),
    lambdaContext(),
  );

/** The coordinator's PUT of the whole entry, as it is stored but for `changes`. */
const redefine = (project: Project, changes: Partial<Project>) => {
  const { id, version, updatedAt, ...definition } = { ...project, ...changes };
  return createPutProjectHandler({ db: table.doc, tableName: table.tableName, now: () => NOW })(
    projectDefinitionRequest(id, definition),
    lambdaContext(),
  );
};

const milestonesOf = async (projectId: string) =>
  (
    await table.doc.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :m)',
        ExpressionAttributeValues: { ':pk': `PROJECT#${projectId}`, ':m': 'MILESTONE#' },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

describe('a report whose project is redefined between its read and its commit, on DynamoDB Local', () => {
  it.each([
    {
      tightening: 'whole numbers only',
      changes: { allowDecimals: false },
      body: { value: 12.5, asOf: '2024-06-30' },
      field: 'value',
    },
    {
      tightening: 'a later start date',
      changes: { startDate: '2024-07-01' },
      body: { value: 12, asOf: '2024-06-30' },
      field: 'asOf',
    },
  ])(
    'is decided again under the new definition ($tightening) and refused',
    async ({ changes, body, field }) => {
      const project = projectFixture('rail-2024', { id: `rail-${field.toLowerCase()}` });
      await new ProjectRepository({ db: table.doc, tableName: table.tableName }).create(project);
      const gate = pausedBeforeCommit();

      const pending = report(gate.db, project.id, `tightened-${field}`, body);
      await gate.atCommit;
      expect((await redefine(project, changes)).statusCode).toBe(200);
      gate.resume();
      const result = await pending;

      expect(result.statusCode).toBe(400);
      expect(JSON.parse(result.body)).toMatchObject({
        type: expect.stringMatching(/validation-failed$/),
        errors: [expect.objectContaining({ field })],
      });
      // The first decision was not committed; the second read saw the new definition.
      expect(gate.reads()).toBe(2);
      expect(await milestonesOf(project.id)).toEqual([]);
      const view = await new ProjectRepository({ db: table.doc, tableName: table.tableName }).getView(
        project.id,
      );
      expect(view?.provinces).toEqual([]);
      expect(view?.region).toMatchObject({ total: 0, provinceValues: {} });
    },
  );

  it('commits a report the new definition still allows, decided under it', async () => {
    const project = projectFixture('rail-2024', { id: 'rail-retarget' });
    await new ProjectRepository({ db: table.doc, tableName: table.tableName }).create(project);
    const gate = pausedBeforeCommit();

    const pending = report(gate.db, project.id, 'retargeted', { value: 330, asOf: '2024-06-30' });
    await gate.atCommit;
    expect((await redefine(project, { target: 400 })).statusCode).toBe(200);
    gate.resume();
    const result = await pending;

    expect(result.statusCode).toBe(201);
    expect(gate.reads()).toBe(2);
    expect(JSON.parse(result.body).progress).toMatchObject({ target: 400, percent: 82.5 });
    expect(await milestonesOf(project.id)).toHaveLength(1);
  });
});
