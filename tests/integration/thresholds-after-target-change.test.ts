import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '../../functions/domain/provinces.js';
import { createPutProjectHandler } from '../../functions/handlers/put-project.js';
import { createRecordMilestoneHandler } from '../../functions/handlers/record-milestone.js';
import { createStreamPublisher } from '../../functions/handlers/stream-publisher.js';
import { EventRepository } from '../../functions/storage/event-repository.js';
import { type StreamPoller, startStreamPoller } from '../../local/streams/index.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { lambdaContext } from '../support/fixtures.js';
import { silentLogger } from '../support/log-lines.js';
import { projectDefinitionRequest, reportRequest } from '../support/requests.js';

/**
 * The whole path on DynamoDB Local: reports and the coordinator's PUT through their handlers, the
 * table's stream through the local poller into the real publisher, and the bus recorded.
 */
const NOW = new Date('2024-12-01T02:00:00.000Z');
let table: TestTable;
let poller: StreamPoller;
const bus = new EventBridgeClient({
  region: 'ap-northeast-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
const busMock = mockClient(bus);

beforeAll(async () => {
  table = await createTestTable('thresholds');
  poller = await startStreamPoller({
    client: table.client,
    tableName: table.tableName,
    dataDir: null,
    pollIntervalMs: 20,
    log: () => {},
    handler: createStreamPublisher({
      events: new EventRepository({ db: table.doc, tableName: table.tableName }),
      bus,
      busName: 'tracker-bus',
      // Every record here makes valid events: none may be set aside.
      unpublishable: {
        send: async (record, reason) => {
          throw new Error(`record ${record.eventID} set aside: ${reason}`);
        },
      },
      log: silentLogger(),
    }),
  });
});
afterAll(async () => {
  await poller?.stop();
  await table?.drop();
});
beforeEach(() => {
  busMock.reset();
  busMock.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
    FailedEntryCount: 0,
    Entries: input.Entries.map((_, i) => ({ EventId: `e-${i}` })),
  }));
});

const deps = () => ({ db: table.doc, tableName: table.tableName, now: () => NOW });
let keys = 0;

const define = async (projectId: string, target: number) => {
  const body = { year: 2024, name: { zh: '养老服务一体化', en: 'Integrated elderly care' }, target };
  const result = await createPutProjectHandler(deps())(
    projectDefinitionRequest(projectId, body),
    lambdaContext(),
  );
  expect(result.statusCode).toBeLessThan(300);
};

const report = async (projectId: string, role: Role, value: number) => {
  const body = { value, asOf: '2024-11-30' };
  const result = await createRecordMilestoneHandler(deps())(
    reportRequest(projectId, role, `threshold-${++keys}`, body),
    lambdaContext(),
  );
  expect(result.statusCode).toBe(201);
  await poller.drain();
};

/** Every threshold announcement on the bus so far, in order. */
const announced = (projectId: string) =>
  busMock
    .commandCalls(PutEventsCommand)
    .flatMap((call) => call.args[0].input.Entries ?? [])
    .filter((entry) => entry.DetailType === 'ProgressThresholdReached')
    .map((entry) => JSON.parse(entry.Detail ?? '{}') as Record<string, unknown>)
    .filter((detail) => detail.projectId === projectId);

describe('thresholds reached because the coordinator lowered the target, on DynamoDB Local', () => {
  it('announces them at the next report, once; a later report announces nothing new', async () => {
    await define('lowered-2024', 100);
    await report('lowered-2024', 'shanghai', 40);
    expect(announced('lowered-2024').map((d) => d.threshold)).toEqual([25]);

    // 40 of 60 is 66.67 %: 50 % is reached, and no report has crossed it yet.
    await define('lowered-2024', 60);
    await report('lowered-2024', 'anhui', 1);
    await report('lowered-2024', 'anhui', 2);

    expect(announced('lowered-2024')).toEqual([
      expect.objectContaining({ threshold: 25, target: 100, percentAfter: 40 }),
      expect.objectContaining({
        threshold: 50,
        target: 60,
        percentBefore: 66.67,
        percentAfter: 68.33,
        totalAfter: 41,
        province: 'anhui',
      }),
    ]);
  });

  it('announces every threshold reached and never announced, the lower ones too', async () => {
    await define('never-announced-2024', 100);
    await report('never-announced-2024', 'jiangsu', 20);
    expect(announced('never-announced-2024')).toEqual([]);

    // 20 of 24 is 83.33 %: 25, 50 and 75 are reached, none announced.
    await define('never-announced-2024', 24);
    await report('never-announced-2024', 'zhejiang', 1);
    await report('never-announced-2024', 'zhejiang', 4);

    expect(announced('never-announced-2024').map((d) => [d.threshold, d.totalAfter])).toEqual([
      [25, 21],
      [50, 21],
      [75, 21],
      [100, 24],
    ]);
  });
});
