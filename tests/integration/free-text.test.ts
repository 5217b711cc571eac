import { SQSClient } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCreateSubscriptionHandler } from '../../functions/handlers/create-subscription.js';
import { createPutProjectHandler } from '../../functions/handlers/put-project.js';
import { createRecordMilestoneHandler } from '../../functions/handlers/record-milestone.js';
import type { HttpEvent } from '../../functions/http/types.js';
import { ProjectRepository } from '../../functions/storage/project-repository.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { allCatalogueProjects, httpEvent, lambdaContext } from '../support/fixtures.js';

/**
 * Free text with control characters, bidirectional overrides or lone surrogates is refused with
 * a field error before anything is written: the table holds exactly as many items afterwards.
 * Each refused request is paired with the same request made clean, which does write, so that an
 * unchanged count cannot come from a request that would not have written anyway.
 */

const NOW = new Date('2024-12-01T02:00:00.000Z');
let table: TestTable;

beforeAll(async () => {
  table = await createTestTable('free-text');
  await new ProjectRepository({ db: table.doc, tableName: table.tableName }).seed(allCatalogueProjects());
});
afterAll(async () => {
  await table?.drop();
});

const itemCount = async () => {
  const scan = await table.doc.send(new ScanCommand({ TableName: table.tableName, Select: 'COUNT' }));
  return scan.Count ?? 0;
};

type Handler = (
  event: HttpEvent,
  context: ReturnType<typeof lambdaContext>,
) => Promise<{ statusCode: number; body: string; headers: Record<string, string> }>;

const deps = () => ({
  db: table.doc,
  tableName: table.tableName,
  now: () => NOW,
  sqs: new SQSClient({ region: 'us-east-1' }),
  deliveryQueueUrl: 'http://queue.local/deliveries',
  allowLocalhost: false,
  lookup: async () => [{ address: '93.184.216.34', family: 4 }],
});

let sequence = 0;
/** A request of one route, with the body built around the text under test. */
interface Route {
  handler: () => Handler;
  event: (body: unknown) => HttpEvent;
  created: number;
}
const ROUTES = {
  report: {
    handler: () => createRecordMilestoneHandler(deps()),
    event: (body) =>
      httpEvent({
        method: 'POST',
        routeKey: 'POST /projects/{projectId}/milestones',
        path: '/projects/rail-2024/milestones',
        pathParameters: { projectId: 'rail-2024' },
        role: 'jiangsu',
        headers: { 'idempotency-key': `free-text-${++sequence}` },
        body,
      }),
    created: 201,
  },
  project: {
    handler: () => createPutProjectHandler(deps()),
    event: (body) => {
      const projectId = `free-text-${++sequence}`;
      return httpEvent({
        method: 'PUT',
        routeKey: 'PUT /projects/{projectId}',
        path: `/projects/${projectId}`,
        pathParameters: { projectId },
        role: 'coordinator',
        body,
      });
    },
    created: 201,
  },
  subscription: {
    handler: () => createCreateSubscriptionHandler(deps()),
    event: (body) => httpEvent({ method: 'POST', path: '/subscriptions', role: 'anhui', body }),
    created: 201,
  },
} satisfies Record<string, Route>;

const report = (fields: Record<string, string>) => ({ value: ++sequence, asOf: '2024-06-30', ...fields });
const project = (name: { zh: string; en: string }) => ({ year: 2025, name });
const subscription = (fields: Record<string, string>) => ({ url: 'https://hooks.example.com/in', ...fields });

/** [what, route, field, body with the text, the same body made clean]. */
const CASES = [
  [
    'a bidi override in a note',
    'report',
    'note',
    report({ note: '付款\u202Eexe.pdf' }),
    report({ note: '付款exe.pdf' }),
  ],
  [
    'a bell in a correction reason',
    'report',
    'correctionReason',
    report({ correctionReason: '重复\u0007' }),
    report({ correctionReason: '重复' }),
  ],
  [
    'a lone surrogate in a note',
    'report',
    'note',
    report({ note: 'x\uD800y' }),
    report({ note: 'x\uD83D\uDE00y' }),
  ],
  [
    'a C1 control in an evidence URL',
    'report',
    'evidenceUrl',
    report({ evidenceUrl: 'https://a.gov.cn/\u0085' }),
    report({ evidenceUrl: 'https://a.gov.cn/' }),
  ],
  [
    'a line break in a project name',
    'project',
    'name.zh',
    project({ zh: '轨道\n上海', en: 'Rail' }),
    project({ zh: '轨道 上海', en: 'Rail' }),
  ],
  [
    'a left-to-right mark in a project name',
    'project',
    'name.en',
    project({ zh: '轨道', en: 'Rail\u200E' }),
    project({ zh: '轨道', en: 'Rail' }),
  ],
  [
    'an isolate in a subscription description',
    'subscription',
    'description',
    subscription({ description: '安徽\u2066x\u2069' }),
    subscription({ description: '安徽 x' }),
  ],
  [
    'a tab in a subscription URL',
    'subscription',
    'url',
    subscription({ url: 'https://hooks.exa\tmple.com/in' }),
    subscription({ url: 'https://hooks.example.com/in' }),
  ],
] as const;

describe('free text on DynamoDB Local', () => {
  it.each(CASES)('refuses %s with a field error and writes nothing', async (_, route, field, bad, clean) => {
    const { handler, event, created } = ROUTES[route];
    const before = await itemCount();

    const refused = await handler()(event(bad), lambdaContext());
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    const problem = JSON.parse(refused.body);
    expect(problem.errors).toHaveLength(1);
    expect(problem.errors[0]).toEqual({ field, message: expect.stringMatching(/U\+[0-9A-F]{4}/) });
    expect(await itemCount()).toBe(before);

    const accepted = await handler()(event(clean), lambdaContext());
    expect(accepted.statusCode).toBe(created);
    expect(await itemCount()).toBeGreaterThan(before);
  });

  it('keeps line breaks and tabs in a note and a correction reason', async () => {
    const { handler, event } = ROUTES.report;
    const text = '第一行\r\n\t第二行';
    const result = await handler()(event(report({ note: text, correctionReason: text })), lambdaContext());
    expect(result.statusCode).toBe(201);
    expect(JSON.parse(result.body).milestone).toMatchObject({ note: text, correctionReason: text });
  });
});
