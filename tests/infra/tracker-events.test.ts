import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_DETAIL_TYPES, EVENT_SOURCE } from '../../functions/events/catalogue.js';
import {
  DELIVERY_QUEUE,
  EVENT_BUS,
  EVENT_ENV,
  NOTIFIER_RULE,
  REPLAY_QUEUE,
  STREAM_SOURCE,
} from '../../functions/events/plumbing.js';
import { ROUTES } from '../../functions/http/routes.js';
import { TABLE_NAME_ENV } from '../../functions/storage/table-definition.js';
import { NOTIFIER_ASYNC_MAX_AGE, NOTIFIER_ASYNC_RETRIES } from '../../lib/events/notifier.js';
import { REPLAY_WORKER_TIMEOUT } from '../../lib/events/subscription-replay.js';
import { DELIVERER_TIMEOUT } from '../../lib/events/webhook-delivery.js';
import { STAGES, type StageConfig } from '../../lib/stage-config.js';
import { TrackerStack } from '../../lib/tracker-stack.js';
import { CDK_CONTEXT, type Synthesised, synthesise as synthesiseInto } from '../support/synthesise.js';
import { isXrayStatement } from '../support/tracing-statement.js';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
};

/** One output directory for every variant: the asset cache is keyed by it, so each handler is bundled once. */
const OUTDIR = mkdtempSync(join(tmpdir(), 'tracker-events-'));

const synthesise = (name: string, config: StageConfig): Synthesised => synthesiseInto(OUTDIR, name, config);

const SUBSCRIBER = '111122223333';
const OTHER_SUBSCRIBER = '444455556666';
const FOURTEEN_DAYS = 14 * 24 * 60 * 60;

/** Logical id of a construct's CloudFormation resource. */
const idOf = (s: Synthesised, construct: IConstruct | undefined): string => {
  const element = construct?.node.defaultChild ?? construct;
  return s.stack.getLogicalId(element as CfnElement);
};
const arnOf = (s: Synthesised, construct: IConstruct) => ({ 'Fn::GetAtt': [idOf(s, construct), 'Arn'] });

const resourceOf = (s: Synthesised, id: string): Resource => {
  const resource = s.template.toJSON().Resources[id] as Resource | undefined;
  if (resource === undefined) throw new Error(`No resource ${id}`);
  return resource;
};
const resourcesOf = (s: Synthesised, type: string): Resource[] =>
  Object.values(s.template.findResources(type)) as Resource[];

const envOf = (s: Synthesised, fn: IConstruct): Record<string, unknown> =>
  (resourceOf(s, idOf(s, fn)).Properties.Environment as { Variables: Record<string, unknown> }).Variables;

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
const actionsOf = (statements: Statement[]): string[] =>
  statements.flatMap((st) => asList(st.Action) as string[]);

/** Every statement of every policy attached to a function's (or rule's) role. */
const roleStatements = (s: Synthesised, roleId: string): Statement[] =>
  resourcesOf(s, 'AWS::IAM::Policy')
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
const functionStatements = (s: Synthesised, fn: { role?: IConstruct | undefined }): Statement[] =>
  roleStatements(s, idOf(s, fn.role));

/** The statements granting any of these actions. */
const granting = (statements: Statement[], ...wanted: string[]): Statement[] =>
  statements.filter((st) => actionsOf([st]).some((a) => wanted.includes(a)));

/** IAM policies, inline role policies and resource policies of queues: every statement. */
const everyStatement = (s: Synthesised): Statement[] =>
  (Object.values(s.template.toJSON().Resources) as Resource[])
    .flatMap((r) => {
      if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::SQS::QueuePolicy')
        return [r.Properties.PolicyDocument];
      if (r.Type === 'AWS::IAM::Role') {
        return ((r.Properties.Policies ?? []) as { PolicyDocument: unknown }[]).map((p) => p.PolicyDocument);
      }
      return [];
    })
    .flatMap((doc) => (doc as { Statement: Statement[] }).Statement);

/** An ARN as CloudFormation will build it, with pseudo parameters left as `${AWS::Region}` etc. */
const flatten = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return `\${${v.Ref}}`;
  const join = v['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) return join[1].map(flatten).join(join[0]);
  throw new Error(`Cannot flatten ${JSON.stringify(value)}`);
};
const defaultBusArn = (account: string) =>
  `arn:\${AWS::Partition}:events:\${AWS::Region}:${account}:event-bus/default`;

/** The settings of the event source mapping that feeds a function. */
const mappingOf = (s: Synthesised, fn: IConstruct): Record<string, unknown> => {
  const mappings = resourcesOf(s, 'AWS::Lambda::EventSourceMapping').filter(
    (m) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: idOf(s, fn) }),
  );
  expect(mappings).toHaveLength(1);
  return (mappings[0] as Resource).Properties;
};

const rulesOn = (s: Synthesised): Resource[] =>
  resourcesOf(s, 'AWS::Events::Rule').filter(
    (r) => JSON.stringify(r.Properties.EventBusName) === JSON.stringify({ Ref: idOf(s, s.stack.events.bus) }),
  );

let dev: Synthesised;
let forwarding: Synthesised;
let localWebhooks: Synthesised;
let all: Synthesised[];

beforeAll(() => {
  dev = synthesise('Events-dev', STAGES.dev);
  forwarding = synthesise('Events-forwarding', {
    ...STAGES.dev,
    subscriberAccounts: [SUBSCRIBER, OTHER_SUBSCRIBER],
  });
  localWebhooks = synthesise('Events-local-webhooks', {
    ...STAGES.dev,
    allowLocalWebhooks: true,
    allowedWebhookPorts: [8443, 9443],
    maxSubscriptionsPerOffice: 7,
  });
  all = [dev, forwarding, localWebhooks];
}, 120_000);

afterAll(() => rmSync(OUTDIR, { recursive: true, force: true }));

describe('the stage settings', () => {
  it('list no subscriber accounts on any stage and allow local webhooks only on the local stage', () => {
    for (const config of Object.values(STAGES)) {
      expect(config.subscriberAccounts, config.stage).toEqual([]);
      expect(config.allowLocalWebhooks, config.stage).toBe(config.stage === 'local');
    }
  });
});

describe('the event bus', () => {
  it('is a custom bus named after the stage', () => {
    dev.template.resourceCountIs('AWS::Events::EventBus', 1);
    dev.template.hasResourceProperties('AWS::Events::EventBus', { Name: 'livelihood-tracker-dev' });
  });

  it("archives every product event from the bus for the catalogue's retention period", () => {
    dev.template.resourceCountIs('AWS::Events::Archive', 1);
    dev.template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: arnOf(dev, dev.stack.events.bus),
      EventPattern: { source: [EVENT_SOURCE] },
      RetentionDays: EVENT_BUS.archiveRetentionDays,
    });
    expect(EVENT_BUS.archiveRetentionDays).toBe(365);
  });
});

describe('the stream publisher', () => {
  it('reads the table stream from the trim horizon with the STREAM_SOURCE batching and retries', () => {
    const mapping = mappingOf(dev, dev.stack.events.publisher);
    expect(mapping).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [idOf(dev, dev.stack.table.table), 'StreamArn'] },
      BatchSize: STREAM_SOURCE.batchSize,
      MaximumBatchingWindowInSeconds: STREAM_SOURCE.maxBatchingWindowSeconds,
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: STREAM_SOURCE.retryAttempts,
      MaximumRecordAgeInSeconds: STREAM_SOURCE.maxRecordAgeSeconds,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    // A failing batch is retried until it succeeds or its records leave the stream: never given up.
    expect([
      mapping.BatchSize,
      mapping.MaximumRetryAttempts,
      mapping.MaximumRecordAgeInSeconds,
      mapping.BisectBatchOnFunctionError,
    ]).toEqual([100, -1, -1, true]);
  });

  it('is woken only by new milestones, new or changed region aggregates and new watchdog notices', () => {
    const { Filters } = mappingOf(dev, dev.stack.events.publisher).FilterCriteria as {
      Filters: { Pattern: string }[];
    };
    expect(Filters.map((f) => JSON.parse(f.Pattern))).toEqual(
      JSON.parse(JSON.stringify(STREAM_SOURCE.filterPatterns)),
    );
    expect(Filters).toHaveLength(3);
    expect(JSON.parse(Filters[0]?.Pattern ?? '{}')).toMatchObject({ eventName: ['INSERT'] });
    expect(JSON.parse(Filters[1]?.Pattern ?? '{}')).toMatchObject({ eventName: ['INSERT', 'MODIFY'] });
    expect(JSON.parse(Filters[2]?.Pattern ?? '{}')).toEqual({
      eventName: ['INSERT'],
      dynamodb: { NewImage: { entity: { S: ['Notice'] } } },
    });
  });

  it('sends batches that still fail to an encrypted queue kept 14 days', () => {
    const queue = dev.stack.events.streamFailureQueue;
    expect(mappingOf(dev, dev.stack.events.publisher).DestinationConfig).toEqual({
      OnFailure: { Destination: arnOf(dev, queue) },
    });
    expect(resourceOf(dev, idOf(dev, queue)).Properties).toMatchObject({
      MessageRetentionPeriod: FOURTEEN_DAYS,
      SqsManagedSseEnabled: true,
    });
  });

  it('knows the table, the bus and the stream failure queue by name and has a minute per batch', () => {
    const { publisher, bus, streamFailureQueue } = dev.stack.events;
    expect(envOf(dev, publisher)).toMatchObject({
      [TABLE_NAME_ENV]: { Ref: idOf(dev, dev.stack.table.table) },
      [EVENT_ENV.busName]: { Ref: idOf(dev, bus) },
      [EVENT_ENV.streamFailureQueueUrl]: { Ref: idOf(dev, streamFailureQueue) },
      STAGE: 'dev',
    });
    expect(resourceOf(dev, idOf(dev, publisher)).Properties.Timeout).toBe(60);
  });

  it("may put events on this stack's bus and nowhere else", () => {
    const statements = functionStatements(dev, dev.stack.events.publisher);
    const putEvents = granting(statements, 'events:PutEvents');
    expect(putEvents).toHaveLength(1);
    expect(putEvents[0]).toMatchObject({ Effect: 'Allow', Resource: arnOf(dev, dev.stack.events.bus) });
    expect(actionsOf(putEvents)).toEqual(['events:PutEvents']);
    for (const s of all) {
      const anyPut = granting(everyStatement(s), 'events:PutEvents');
      const toOwnBus = anyPut.filter(
        (st) => JSON.stringify(st.Resource) === JSON.stringify(arnOf(s, s.stack.events.bus)),
      );
      expect(toOwnBus, s.stack.stackName).toHaveLength(1);
    }
  });

  it('may send messages to the stream failure queue, and to no other queue', () => {
    const statements = functionStatements(dev, dev.stack.events.publisher);
    const sends = granting(statements, 'sqs:SendMessage');
    expect(sends.map((st) => st.Resource)).toEqual([arnOf(dev, dev.stack.events.streamFailureQueue)]);
    const sqsActions = actionsOf(statements).filter((a) => a.startsWith('sqs:'));
    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:PurgeQueue', 'sqs:*']) {
      expect(sqsActions).not.toContain(action);
    }
  });

  it('may get, put, update, batch-write and query items of the base table, and read its stream', () => {
    const table = dev.stack.table.table;
    const statements = functionStatements(dev, dev.stack.events.publisher);
    const items = statements.filter(
      (st) => JSON.stringify(st.Resource) === JSON.stringify(arnOf(dev, table)),
    );
    expect(actionsOf(items).sort()).toEqual([
      'dynamodb:BatchWriteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    const stream = granting(statements, 'dynamodb:GetRecords');
    expect(stream).toHaveLength(1);
    expect(stream[0]?.Resource).toEqual({ 'Fn::GetAtt': [idOf(dev, table), 'StreamArn'] });
    expect(actionsOf(stream).sort()).toEqual([
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
    ]);
    const dynamo = actionsOf(statements).filter((a) => a.startsWith('dynamodb:'));
    for (const action of ['dynamodb:DeleteItem', 'dynamodb:Scan', 'dynamodb:BatchGetItem']) {
      expect(dynamo).not.toContain(action);
    }
  });
});

describe('the notifier', () => {
  it('is the target of a rule on the bus matching every product detail type from the tracker', () => {
    const { notifier, notifierRule, notifierDeadLetterQueue, bus } = dev.stack.events;
    const rule = resourceOf(dev, idOf(dev, notifierRule)).Properties;
    expect(rule).toMatchObject({
      EventBusName: { Ref: idOf(dev, bus) },
      Name: NOTIFIER_RULE.name,
      State: 'ENABLED',
      EventPattern: { source: [EVENT_SOURCE], 'detail-type': [...ALL_DETAIL_TYPES] },
    });
    expect(rule.Targets).toEqual([
      expect.objectContaining({
        Arn: arnOf(dev, notifier),
        RetryPolicy: {
          MaximumRetryAttempts: NOTIFIER_RULE.retryPolicy.maximumRetryAttempts,
          MaximumEventAgeInSeconds: NOTIFIER_RULE.retryPolicy.maximumEventAgeSeconds,
        },
        DeadLetterConfig: { Arn: arnOf(dev, notifierDeadLetterQueue) },
      }),
    ]);
    dev.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: arnOf(dev, notifier),
      SourceArn: arnOf(dev, notifierRule),
    });
  });

  it('lets only its rule put undeliverable events on its dead-letter queue, kept 14 days', () => {
    const { notifierRule, notifierDeadLetterQueue } = dev.stack.events;
    expect(resourceOf(dev, idOf(dev, notifierDeadLetterQueue)).Properties).toMatchObject({
      MessageRetentionPeriod: FOURTEEN_DAYS,
      SqsManagedSseEnabled: true,
    });
    dev.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: idOf(dev, notifierDeadLetterQueue) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': arnOf(dev, notifierRule) } },
            Resource: arnOf(dev, notifierDeadLetterQueue),
          }),
        ]),
      },
    });
  });

  it("sends an event it still throws on after Lambda's own retries to the same dead-letter queue", () => {
    const { notifier, notifierDeadLetterQueue } = dev.stack.events;
    dev.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: idOf(dev, notifier) },
      MaximumRetryAttempts: NOTIFIER_ASYNC_RETRIES,
      MaximumEventAgeInSeconds: NOTIFIER_ASYNC_MAX_AGE.toSeconds(),
      DestinationConfig: { OnFailure: { Destination: arnOf(dev, notifierDeadLetterQueue) } },
    });
  });

  it('knows the table and the delivery queue', () => {
    expect(envOf(dev, dev.stack.events.notifier)).toMatchObject({
      [TABLE_NAME_ENV]: { Ref: idOf(dev, dev.stack.table.table) },
      [EVENT_ENV.deliveryQueueUrl]: { Ref: idOf(dev, dev.stack.events.deliveryQueue) },
    });
  });

  it('may send messages to the delivery queue only and query, get, put and update table items', () => {
    const { notifier, deliveryQueue, notifierDeadLetterQueue } = dev.stack.events;
    const statements = functionStatements(dev, notifier);
    const sends = granting(statements, 'sqs:SendMessage');
    expect(sends.map((st) => st.Resource)).toEqual(
      expect.arrayContaining([arnOf(dev, deliveryQueue), arnOf(dev, notifierDeadLetterQueue)]),
    );
    const toDeliveryQueue = statements.filter(
      (st) => JSON.stringify(st.Resource) === JSON.stringify(arnOf(dev, deliveryQueue)),
    );
    expect(actionsOf(toDeliveryQueue)).toEqual(['sqs:SendMessage']);
    const table = statements.filter(
      (st) => JSON.stringify(st.Resource) === JSON.stringify(arnOf(dev, dev.stack.table.table)),
    );
    expect(actionsOf(table).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(actionsOf(statements).filter((a) => a.startsWith('dynamodb:'))).toHaveLength(4);
  });
});

describe('the delivery queue', () => {
  it("keeps a message hidden while it is delivered: six times the deliverer's timeout", () => {
    const { deliveryQueue, deliverer } = dev.stack.events;
    const queue = resourceOf(dev, idOf(dev, deliveryQueue)).Properties;
    const timeout = resourceOf(dev, idOf(dev, deliverer)).Properties.Timeout as number;
    expect(queue.VisibilityTimeout).toBe(DELIVERY_QUEUE.visibilityTimeoutSeconds);
    expect(timeout).toBe(DELIVERER_TIMEOUT.toSeconds());
    expect(queue.VisibilityTimeout as number).toBeGreaterThanOrEqual(6 * timeout);
    expect(queue.MessageRetentionPeriod).toBe(DELIVERY_QUEUE.retentionDays * 24 * 60 * 60);
  });

  it('moves a message to a dead-letter queue kept 14 days after its last attempt', () => {
    const { deliveryQueue, deliveryDeadLetterQueue } = dev.stack.events;
    expect(resourceOf(dev, idOf(dev, deliveryQueue)).Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: arnOf(dev, deliveryDeadLetterQueue),
      maxReceiveCount: DELIVERY_QUEUE.maxReceiveCount,
    });
    expect(DELIVERY_QUEUE.maxReceiveCount).toBe(DELIVERY_QUEUE.retryDelaysSeconds.length + 1);
    expect(resourceOf(dev, idOf(dev, deliveryDeadLetterQueue)).Properties.MessageRetentionPeriod).toBe(
      FOURTEEN_DAYS,
    );
  });

  it('is, like every queue of the stack, encrypted and closed to requests without TLS', () => {
    const queues = dev.template.findResources('AWS::SQS::Queue');
    // The stream, notifier, delivery and replay dead-letter queues, the delivery and replay
    // queues, and the watchdog's dead letters.
    expect(Object.keys(queues)).toHaveLength(7);
    for (const [id, queue] of Object.entries(queues) as [string, Resource][]) {
      expect(queue.Properties.SqsManagedSseEnabled, id).toBe(true);
      dev.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Resource: { 'Fn::GetAtt': [id, 'Arn'] },
            }),
          ]),
        },
      });
    }
  });
});

describe('the replay queue and worker', () => {
  it("keeps a page hidden six times the worker's timeout, and dead-letters it after its attempts", () => {
    const { replayQueue, replayDeadLetterQueue, replayWorker } = dev.stack.events;
    const queue = resourceOf(dev, idOf(dev, replayQueue)).Properties;
    const timeout = resourceOf(dev, idOf(dev, replayWorker)).Properties.Timeout as number;
    expect(timeout).toBe(REPLAY_WORKER_TIMEOUT.toSeconds());
    expect(queue.VisibilityTimeout).toBe(REPLAY_QUEUE.visibilityTimeoutSeconds);
    expect(queue.VisibilityTimeout as number).toBeGreaterThanOrEqual(6 * timeout);
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: arnOf(dev, replayDeadLetterQueue),
      maxReceiveCount: REPLAY_QUEUE.maxReceiveCount,
    });
    expect(resourceOf(dev, idOf(dev, replayDeadLetterQueue)).Properties.MessageRetentionPeriod).toBe(
      FOURTEEN_DAYS,
    );
    dev.template.hasOutput('ReplayDeadLetterQueueUrl', { Value: { Ref: idOf(dev, replayDeadLetterQueue) } });
  });

  it('takes one page at a time and reports a failed one', () => {
    expect(mappingOf(dev, dev.stack.events.replayWorker)).toMatchObject({
      EventSourceArn: arnOf(dev, dev.stack.events.replayQueue),
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: REPLAY_QUEUE.maxConcurrency },
    });
  });

  it('knows the table and both queues, and may send to those two only', () => {
    const { replayWorker, replayQueue, deliveryQueue } = dev.stack.events;
    expect(envOf(dev, replayWorker)).toMatchObject({
      [TABLE_NAME_ENV]: { Ref: idOf(dev, dev.stack.table.table) },
      [EVENT_ENV.deliveryQueueUrl]: { Ref: idOf(dev, deliveryQueue) },
      [EVENT_ENV.replayQueueUrl]: { Ref: idOf(dev, replayQueue) },
    });
    const statements = functionStatements(dev, replayWorker);
    const sends = statements.filter((st) => actionsOf([st]).includes('sqs:SendMessage'));
    expect(sends).toHaveLength(1);
    expect(sends[0]?.Resource).toHaveLength(2);
    expect(sends[0]?.Resource).toEqual(
      expect.arrayContaining([arnOf(dev, replayQueue), arnOf(dev, deliveryQueue)]),
    );
    const table = statements.filter((st) => actionsOf([st]).some((a) => a.startsWith('dynamodb:')));
    expect(actionsOf(table).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
  });
});

describe('the deliverer', () => {
  it('takes batches from the delivery queue and reports which messages failed', () => {
    const mapping = mappingOf(dev, dev.stack.events.deliverer);
    expect(mapping).toMatchObject({
      EventSourceArn: arnOf(dev, dev.stack.events.deliveryQueue),
      BatchSize: DELIVERY_QUEUE.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
    expect(DELIVERY_QUEUE.maxConcurrency).toBe(10);
  });

  it('has time for a batch of concurrent requests, each with its own request timeout', () => {
    const timeout = resourceOf(dev, idOf(dev, dev.stack.events.deliverer)).Properties.Timeout as number;
    expect(timeout).toBe(30);
    expect(timeout * 1000).toBeGreaterThanOrEqual(DELIVERY_QUEUE.requestTimeoutMs * 3);
  });

  it('knows the table and the queue, and allows local webhooks only when the stage does', () => {
    expect(envOf(dev, dev.stack.events.deliverer)).toMatchObject({
      [TABLE_NAME_ENV]: { Ref: idOf(dev, dev.stack.table.table) },
      [EVENT_ENV.deliveryQueueUrl]: { Ref: idOf(dev, dev.stack.events.deliveryQueue) },
      [EVENT_ENV.allowLocalWebhooks]: 'false',
    });
    expect(envOf(localWebhooks, localWebhooks.stack.events.deliverer)).toMatchObject({
      [EVENT_ENV.allowLocalWebhooks]: 'true',
      [EVENT_ENV.allowedWebhookPorts]: '8443,9443',
    });
    expect(envOf(dev, dev.stack.events.deliverer)[EVENT_ENV.allowedWebhookPorts]).toBe('');
  });

  it('may consume and reschedule messages of the delivery queue only, and get and update items', () => {
    const { deliverer, deliveryQueue } = dev.stack.events;
    const statements = functionStatements(dev, deliverer);
    const sqs = statements.filter((st) => actionsOf([st]).some((a) => a.startsWith('sqs:')));
    for (const st of sqs) expect(st.Resource).toEqual(arnOf(dev, deliveryQueue));
    expect(actionsOf(sqs)).toEqual(
      expect.arrayContaining(['sqs:ChangeMessageVisibility', 'sqs:ReceiveMessage', 'sqs:DeleteMessage']),
    );
    expect(actionsOf(sqs)).not.toContain('sqs:SendMessage');
    const table = statements.filter((st) => actionsOf([st]).some((a) => a.startsWith('dynamodb:')));
    expect(table.map((st) => st.Resource)).toEqual(table.map(() => arnOf(dev, dev.stack.table.table)));
    expect(actionsOf(table).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
  });
});

describe('the HTTP routes', () => {
  it('let only routes that start replays send to the replay queue, and none to the delivery queue', () => {
    const queueArn = arnOf(dev, dev.stack.events.replayQueue);
    expect(ROUTES.filter((r) => r.queuesReplays).map((r) => r.id)).toEqual(['replaySubscription']);
    for (const route of ROUTES) {
      const fn = dev.stack.functions.forRoute(route.id);
      const sqs = functionStatements(dev, fn).filter((st) =>
        actionsOf([st]).some((a) => a.startsWith('sqs:')),
      );
      const env = envOf(dev, fn);
      expect(env[EVENT_ENV.deliveryQueueUrl], route.id).toBeUndefined();
      if (route.queuesReplays) {
        expect(sqs, route.id).toEqual([
          expect.objectContaining({ Action: 'sqs:SendMessage', Resource: queueArn }),
        ]);
        expect(env[EVENT_ENV.replayQueueUrl], route.id).toEqual({
          Ref: idOf(dev, dev.stack.events.replayQueue),
        });
      } else {
        expect(sqs, route.id).toEqual([]);
        expect(env[EVENT_ENV.replayQueueUrl], route.id).toBeUndefined();
      }
    }
  });

  it('tell only the route that checks webhook URLs whether localhost is allowed, as the stage says', () => {
    for (const route of ROUTES) {
      const value = envOf(dev, dev.stack.functions.forRoute(route.id))[EVENT_ENV.allowLocalWebhooks];
      expect(value, route.id).toBe(route.id === 'createSubscription' ? 'false' : undefined);
    }
    const create = localWebhooks.stack.functions.forRoute('createSubscription');
    expect(envOf(localWebhooks, create)).toMatchObject({
      [EVENT_ENV.allowLocalWebhooks]: 'true',
      [EVENT_ENV.allowedWebhookPorts]: '8443,9443',
    });
  });

  it("tell only the route that creates subscriptions the stage's limit per office", () => {
    for (const route of ROUTES) {
      const value = envOf(dev, dev.stack.functions.forRoute(route.id))[EVENT_ENV.maxSubscriptionsPerOffice];
      expect(value, route.id).toBe(route.id === 'createSubscription' ? '25' : undefined);
    }
    const create = localWebhooks.stack.functions.forRoute('createSubscription');
    expect(envOf(localWebhooks, create)[EVENT_ENV.maxSubscriptionsPerOffice]).toBe('7');
  });
});

describe('forwarding to subscribing accounts', () => {
  it('adds no rule besides the notifier when the stage lists no subscriber account', () => {
    for (const s of [dev, localWebhooks]) {
      expect(rulesOn(s), s.stack.stackName).toHaveLength(1);
      expect(JSON.stringify(s.template.toJSON())).not.toContain('event-bus/default');
      expect(s.stack.events.forwardRules.size).toBe(0);
    }
  });

  it("forwards every product event to each subscriber account's default bus in the stack's region", () => {
    expect(rulesOn(forwarding)).toHaveLength(3);
    for (const account of [SUBSCRIBER, OTHER_SUBSCRIBER]) {
      const rule = forwarding.stack.events.forwardRules.get(account);
      expect(rule, account).toBeDefined();
      const { Properties } = resourceOf(forwarding, idOf(forwarding, rule));
      expect(Properties.EventPattern).toEqual({ source: [EVENT_SOURCE] });
      const ruleTargets = Properties.Targets as { Arn: unknown; RoleArn: unknown }[];
      expect(ruleTargets).toHaveLength(1);
      expect(flatten(ruleTargets[0]?.Arn)).toBe(defaultBusArn(account));
      expect(ruleTargets[0]?.RoleArn).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    }
  });

  it("lets each forwarding rule's role put events on that account's default bus only", () => {
    for (const account of [SUBSCRIBER, OTHER_SUBSCRIBER]) {
      const rule = resourceOf(
        forwarding,
        idOf(forwarding, forwarding.stack.events.forwardRules.get(account)),
      );
      const roleId = ((rule.Properties.Targets as { RoleArn: { 'Fn::GetAtt': [string] } }[])[0]?.RoleArn[
        'Fn::GetAtt'
      ] ?? [])[0] as string;
      const trust = resourceOf(forwarding, roleId).Properties.AssumeRolePolicyDocument as {
        Statement: Statement[];
      };
      expect(trust.Statement).toEqual([
        expect.objectContaining({ Action: 'sts:AssumeRole', Principal: { Service: 'events.amazonaws.com' } }),
      ]);
      const statements = roleStatements(forwarding, roleId);
      expect(statements).toHaveLength(1);
      expect(statements[0]?.Action).toBe('events:PutEvents');
      expect(flatten(statements[0]?.Resource)).toBe(defaultBusArn(account));
    }
  });

  it('refuses a subscriber account that is not a 12-digit account id', () => {
    const app = new App({ context: CDK_CONTEXT, outdir: OUTDIR });
    expect(
      () =>
        new TrackerStack(app, 'Events-bad-account', {
          config: { ...STAGES.dev, subscriberAccounts: ['1111-2222'] },
        }),
    ).toThrow(/12-digit/);
  });
});

describe('the permissions', () => {
  it("never allow a wildcard action or an unscoped resource, but X-Ray's, and list only the table's streams", () => {
    for (const s of all) {
      const allowed = everyStatement(s).filter((st) => st.Effect === 'Allow');
      expect(allowed.length).toBeGreaterThan(0);
      const table = s.stack.table.table;
      const listStreams = allowed.filter((st) => actionsOf([st]).includes('dynamodb:ListStreams'));
      // The table's streams (the label changes when a stream is turned off and on), not the account's.
      expect(listStreams).toEqual([
        {
          Effect: 'Allow',
          Action: 'dynamodb:ListStreams',
          Resource: { 'Fn::Join': ['', [arnOf(s, table), '/stream/*']] },
        },
      ]);
      expect(granting(functionStatements(s, s.stack.events.publisher), 'dynamodb:ListStreams')).toHaveLength(
        1,
      );
      const tracing = allowed.filter(isXrayStatement);
      const traced = [
        s.stack.events.publisher,
        s.stack.events.notifier,
        s.stack.events.deliverer,
        s.stack.events.replayWorker,
      ];
      for (const fn of traced) expect(functionStatements(s, fn).filter(isXrayStatement)).toHaveLength(1);
      for (const statement of allowed.filter((st) => !tracing.includes(st))) {
        for (const action of actionsOf([statement])) expect(action).not.toContain('*');
        for (const resource of asList(statement.Resource)) {
          expect(resource).not.toBe('*');
          if (typeof resource === 'string') expect(resource).not.toMatch(/(^|:)\*$/);
        }
      }
    }
  });
});

describe('the event functions', () => {
  it('bundle each handler as minified ESM exporting handler, with a source map', () => {
    const { publisher, notifier, deliverer } = dev.stack.events;
    for (const fn of [publisher, notifier, deliverer]) {
      const code = resourceOf(dev, idOf(dev, fn)).Properties.Code as { S3Key: string };
      const assetDir = join(dev.outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
      const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
      expect(bundle.startsWith("import { createRequire } from 'module';"), fn.node.id).toBe(true);
      expect(bundle).toMatch(/export\s*\{[^}]*\bas handler\b/);
      expect(bundle).not.toMatch(/from\s*["']@aws-sdk\//);
      expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
    }
  });

  it('log to their own log groups kept for the stage retention period', () => {
    const { publisher, notifier, deliverer } = dev.stack.events;
    const groups = dev.template.findResources('AWS::Logs::LogGroup');
    const used = [publisher, notifier, deliverer].map(
      (fn) =>
        (resourceOf(dev, idOf(dev, fn)).Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup
          .Ref,
    );
    expect(new Set(used).size).toBe(3);
    for (const id of used) {
      expect((groups[id] as Resource | undefined)?.Properties.RetentionInDays).toBe(
        STAGES.dev.logRetentionDays,
      );
    }
  });
});

describe('the stack outputs', () => {
  it('name the event bus, its ARN, the delivery queue and its dead-letter queue', () => {
    const { bus, deliveryQueue, deliveryDeadLetterQueue } = dev.stack.events;
    dev.template.hasOutput('EventBusName', { Value: { Ref: idOf(dev, bus) } });
    dev.template.hasOutput('EventBusArn', { Value: arnOf(dev, bus) });
    dev.template.hasOutput('DeliveryQueueUrl', { Value: { Ref: idOf(dev, deliveryQueue) } });
    dev.template.hasOutput('DeliveryDeadLetterQueueUrl', {
      Value: { Ref: idOf(dev, deliveryDeadLetterQueue) },
    });
  });
});
