import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureCommands, projectViewQuery } from '../../../bench/project-query.js';
import { createGetProjectHandler } from '../../../functions/handlers/get-project.js';
import { ProjectRepository } from '../../../functions/storage/project-repository.js';
import { createTestTable, type TestTable } from '../../support/dynamo.js';
import { allCatalogueProjects, httpEvent, lambdaContext, MID_2024 } from '../../support/fixtures.js';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable('bench-project-query');
  await new ProjectRepository({ db: table.doc, tableName: table.tableName }).seed(allCatalogueProjects());
});
afterAll(() => table.drop());

describe("the raw server's Query", () => {
  it('is the very command the getProject handler sends, as it goes on the wire', async () => {
    const sent: unknown[] = [];
    table.client.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push({ command: context.commandName, input: structuredClone(args.input) });
        return next(args);
      },
      { step: 'build', name: 'recordSent' },
    );
    try {
      const answer = await createGetProjectHandler({
        db: table.doc,
        tableName: table.tableName,
        now: () => MID_2024,
      })(
        httpEvent({ path: '/projects/rail-2024', pathParameters: { projectId: 'rail-2024' } }),
        lambdaContext(),
      );
      expect(answer.statusCode).toBe(200);
    } finally {
      table.client.middlewareStack.remove('recordSent');
    }
    expect(sent).toEqual([
      { command: 'QueryCommand', input: await projectViewQuery(table.tableName, 'rail-2024') },
    ]);
  });

  it('finds the state items the handler reads, sent raw', async () => {
    const page = await table.client.send(
      new QueryCommand(await projectViewQuery(table.tableName, 'rail-2024')),
    );
    expect(page.Items?.map((item) => item.entity?.S).sort()).toEqual(['Project', 'RegionAggregate']);
    expect(page.LastEvaluatedKey).toBeUndefined();
  });

  it('is captured without reaching any database', async () => {
    // The capturing client points at a closed port: a command that got through would reject.
    const inputs = await captureCommands(
      (access) => new ProjectRepository(access).getView('rail-2024'),
      'no-such-table',
    );
    expect(inputs).toEqual([expect.objectContaining({ TableName: 'no-such-table', ConsistentRead: true })]);
  });
});
