import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPutProjectHandler } from '../../functions/handlers/put-project.js';
import {
  type DocumentClient,
  PutCommand,
  TransactWriteCommand,
} from '../../functions/storage/document-client.js';
import { ProjectRepository } from '../../functions/storage/project-repository.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { lambdaContext } from '../support/fixtures.js';
import { projectDefinitionRequest } from '../support/requests.js';

const NOW = new Date('2024-12-01T02:00:00.000Z');
let table: TestTable;

beforeAll(async () => {
  table = await createTestTable('put-project');
});
afterAll(async () => {
  await table?.drop();
});

/**
 * The table, seen by `requests` requests that reach their write at the same moment: every write
 * waits until each request has read, then the writes go to DynamoDB Local one at a time. It is
 * the interleaving two coordinators saving together can produce; the database decides the rest.
 */
const meetingAtTheWrite = (requests: number): DocumentClient => {
  const send = table.doc.send.bind(table.doc) as (command: unknown) => Promise<unknown>;
  let waiting = 0;
  let everyoneRead!: () => void;
  const allRead = new Promise<void>((resolve) => {
    everyoneRead = resolve;
  });
  let previous: Promise<unknown> = Promise.resolve();
  const gated = async (command: unknown): Promise<unknown> => {
    if (!(command instanceof PutCommand || command instanceof TransactWriteCommand)) return send(command);
    waiting += 1;
    if (waiting === requests) everyoneRead();
    await allRead;
    const turn = previous.then(() => send(command));
    previous = turn.catch(() => undefined);
    return turn;
  };
  return { send: gated } as unknown as DocumentClient;
};

const definition = (target: number) => ({
  year: 2025,
  name: { zh: '建设轨道上的长三角', en: 'A rail-connected YRD' },
  target,
});

const put = (db: DocumentClient, projectId: string, body: unknown) =>
  createPutProjectHandler({ db, tableName: table.tableName, now: () => NOW })(
    projectDefinitionRequest(projectId, body),
    lambdaContext(),
  );

const stored = async (projectId: string) =>
  (await new ProjectRepository({ db: table.doc, tableName: table.tableName }).getView(projectId))?.project;

/**
 * Two coordinators save the same entry at the same moment, with these targets: the one the
 * database let through (status `won`), and the one it refused (409), with what each asked for.
 */
const saveTogether = async (projectId: string, targets: [number, number], won: number) => {
  const db = meetingAtTheWrite(2);
  const results = await Promise.all(targets.map((target) => put(db, projectId, definition(target))));
  expect(results.map((r) => r.statusCode).sort()).toEqual([won, 409]);
  const winner = results.findIndex((r) => r.statusCode === won);
  const loser = 1 - winner;
  return {
    winnerTarget: targets[winner] as number,
    loserTarget: targets[loser] as number,
    refusal: results[loser] as Awaited<ReturnType<typeof put>>,
  };
};

describe('PUT /projects/{projectId} on DynamoDB Local, two coordinators at the same moment', () => {
  it('creates the entry once: the other request is refused with 409 project-exists', async () => {
    const { winnerTarget, refusal } = await saveTogether('metro-2025', [500, 800], 201);

    expect(JSON.parse(refusal.body)).toMatchObject({
      type: expect.stringMatching(/project-exists$/),
      status: 409,
    });
    expect(await stored('metro-2025')).toMatchObject({ version: 1, target: winnerTarget });
  });

  it('keeps one of two concurrent updates: the other gets 409 concurrent-modification and may retry', async () => {
    expect((await put(table.doc, 'tram-2025', definition(500))).statusCode).toBe(201);

    const { winnerTarget, loserTarget, refusal } = await saveTogether('tram-2025', [600, 700], 200);

    expect(refusal.headers['retry-after']).toBe('1');
    expect(JSON.parse(refusal.body)).toMatchObject({
      type: expect.stringMatching(/concurrent-modification$/),
      status: 409,
    });
    expect(await stored('tram-2025')).toMatchObject({ version: 2, target: winnerTarget });

    // Read again and retry, as the problem says: the retry applies on top of the winner's change.
    expect((await put(table.doc, 'tram-2025', definition(loserTarget))).statusCode).toBe(200);
    expect(await stored('tram-2025')).toMatchObject({ version: 3, target: loserTarget });
  });
});
