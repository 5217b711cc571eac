import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WATCHDOG_SCHEDULE } from '../../functions/events/plumbing.js';
import { ROUTES } from '../../functions/http/routes.js';
import { TABLE_NAME_ENV } from '../../functions/storage/table-definition.js';
import { STAGES, type StageConfig } from '../../lib/stage-config.js';
import { LOG_LEVEL_ENV } from '../../lib/tracker-function.js';
import {
  WATCHDOG_ASYNC_MAX_AGE,
  WATCHDOG_ASYNC_RETRIES,
  WATCHDOG_TABLE_ACTIONS,
  WATCHDOG_TIMEOUT,
} from '../../lib/tracker-watchdog.js';
import { type Synthesised, synthesise as synthesiseInto } from '../support/synthesise.js';
import { isXrayStatement, XRAY_STATEMENT } from '../support/tracing-statement.js';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

const OUTDIR = mkdtempSync(join(tmpdir(), 'tracker-watchdog-'));

const synthesise = (name: string, config: StageConfig): Synthesised => synthesiseInto(OUTDIR, name, config);

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

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
const actionsOf = (statements: Statement[]): string[] =>
  statements.flatMap((st) => asList(st.Action) as string[]);
const roleStatements = (s: Synthesised, role: IConstruct | undefined): Statement[] =>
  resourcesOf(s, 'AWS::IAM::Policy')
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${idOf(s, role)}"`))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

let dev: Synthesised;
let prod: Synthesised;

beforeAll(() => {
  dev = synthesise('Watchdog-dev', STAGES.dev);
  prod = synthesise('Watchdog-prod', STAGES.prod);
}, 180_000);

afterAll(() => rmSync(OUTDIR, { recursive: true, force: true }));

const scheduleOf = (s: Synthesised) => resourceOf(s, idOf(s, s.stack.watchdog.schedule)).Properties;

describe('the watchdog schedule', () => {
  it('runs every day at 09:00 China time, from the expression the local runtime reads too', () => {
    expect(WATCHDOG_SCHEDULE).toMatchObject({ expression: 'cron(0 9 * * ? *)', timeZone: 'Asia/Shanghai' });
    dev.template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    expect(scheduleOf(dev)).toMatchObject({
      ScheduleExpression: WATCHDOG_SCHEDULE.expression,
      ScheduleExpressionTimezone: WATCHDOG_SCHEDULE.timeZone,
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
    });
  });

  it("invokes the watchdog function with Scheduler's time and execution id", () => {
    const target = scheduleOf(dev).Target as { Arn: unknown; Input: string };
    expect(target.Arn).toEqual(arnOf(dev, dev.stack.watchdog.function));
    expect(JSON.parse(target.Input)).toEqual({
      source: 'eventbridge-scheduler',
      scheduledTime: '<aws.scheduler.scheduled-time>',
      executionId: '<aws.scheduler.execution-id>',
      attemptNumber: '<aws.scheduler.attempt-number>',
    });
  });

  it('retries an invocation it cannot hand over, then dead-letters it to an encrypted queue kept 14 days', () => {
    const { deadLetterQueue } = dev.stack.watchdog;
    expect(scheduleOf(dev).Target).toMatchObject({
      RetryPolicy: {
        MaximumRetryAttempts: WATCHDOG_SCHEDULE.retryPolicy.maximumRetryAttempts,
        MaximumEventAgeInSeconds: WATCHDOG_SCHEDULE.retryPolicy.maximumEventAgeSeconds,
      },
      DeadLetterConfig: { Arn: arnOf(dev, deadLetterQueue) },
    });
    expect(resourceOf(dev, idOf(dev, deadLetterQueue)).Properties).toMatchObject({
      MessageRetentionPeriod: 14 * 24 * 60 * 60,
      SqsManagedSseEnabled: true,
    });
    dev.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: idOf(dev, deadLetterQueue) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    dev.template.hasOutput('WatchdogDeadLetterQueueUrl', { Value: { Ref: idOf(dev, deadLetterQueue) } });
  });

  it("sends a run that still throws after Lambda's own retries (Scheduler invokes asynchronously) to the same queue", () => {
    const { function: fn, deadLetterQueue } = dev.stack.watchdog;
    dev.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: idOf(dev, fn) },
      MaximumRetryAttempts: WATCHDOG_ASYNC_RETRIES,
      MaximumEventAgeInSeconds: WATCHDOG_ASYNC_MAX_AGE.toSeconds(),
      DestinationConfig: { OnFailure: { Destination: arnOf(dev, deadLetterQueue) } },
    });
  });

  it("lets Scheduler assume its role only for this account's schedules, to invoke the watchdog and dead-letter", () => {
    const { scheduleRole, function: fn, deadLetterQueue } = dev.stack.watchdog;
    expect(scheduleOf(dev).Target).toMatchObject({ RoleArn: arnOf(dev, scheduleRole) });
    const trust = resourceOf(dev, idOf(dev, scheduleRole)).Properties.AssumeRolePolicyDocument as {
      Statement: Statement[];
    };
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Action: 'sts:AssumeRole',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: {
          StringEquals: {
            'aws:SourceAccount': { Ref: 'AWS::AccountId' },
            'aws:SourceArn': expect.objectContaining({ 'Fn::Join': expect.any(Array) }),
          },
        },
      }),
    ]);
    expect(JSON.stringify(trust)).toContain(':schedule-group/default');
    // Exactly the function's ARN: no `<arn>:*` for its versions and aliases.
    expect(roleStatements(dev, scheduleRole)).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: arnOf(dev, fn) },
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arnOf(dev, deadLetterQueue) },
    ]);
  });
});

describe('the watchdog function', () => {
  it('is a tracker function like the others, with a minute per run and the table by name', () => {
    const fn = resourceOf(dev, idOf(dev, dev.stack.watchdog.function)).Properties;
    expect(fn).toMatchObject({
      Runtime: 'nodejs24.x',
      TracingConfig: { Mode: 'Active' },
      Architectures: ['arm64'],
      MemorySize: 512,
      Handler: 'index.handler',
      Timeout: WATCHDOG_TIMEOUT.toSeconds(),
    });
    expect((fn.Environment as { Variables: Record<string, unknown> }).Variables).toEqual({
      [TABLE_NAME_ENV]: { Ref: idOf(dev, dev.stack.table.table) },
      STAGE: 'dev',
      NODE_OPTIONS: '--enable-source-maps',
      [LOG_LEVEL_ENV]: STAGES.dev.logLevel,
    });
    for (const s of [dev, prod]) {
      const logGroupId = (
        resourceOf(s, idOf(s, s.stack.watchdog.function)).Properties.LoggingConfig as {
          LogGroup: { Ref: string };
        }
      ).LogGroup.Ref;
      expect(resourceOf(s, logGroupId).Properties.RetentionInDays).toBe(s.config.logRetentionDays);
    }
  });

  it('may query the year index and get, put and update table items, and nothing else in the table', () => {
    const table = dev.stack.table.table;
    const statements = roleStatements(dev, dev.stack.watchdog.function.role);
    const dynamo = statements.filter((st) => actionsOf([st]).some((a) => a.startsWith('dynamodb:')));
    expect(dynamo).toEqual([
      {
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: { 'Fn::Join': ['', [arnOf(dev, table), '/index/GSI1']] },
      },
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Resource: arnOf(dev, table),
      },
    ]);
    expect(actionsOf(dynamo)).toEqual([...WATCHDOG_TABLE_ACTIONS.index, ...WATCHDOG_TABLE_ACTIONS.table]);
  });

  it("grants no wildcard but X-Ray's, never puts events itself (the stream announces its notices) and may only dead-letter", () => {
    const { function: fn, deadLetterQueue } = dev.stack.watchdog;
    const all = roleStatements(dev, fn.role);
    expect(all.filter(isXrayStatement)).toEqual([XRAY_STATEMENT]);
    const statements = all.filter((st) => !isXrayStatement(st));
    for (const action of actionsOf(statements)) expect(action).not.toContain('*');
    for (const st of statements) {
      for (const resource of asList(st.Resource)) {
        expect(resource).not.toBe('*');
        expect(JSON.stringify(resource)).not.toMatch(/\*/);
      }
    }
    expect(actionsOf(statements).filter((a) => a.startsWith('events:'))).toEqual([]);
    const sqs = statements.filter((st) => actionsOf([st]).some((a) => a.startsWith('sqs:')));
    for (const st of sqs) expect(st.Resource).toEqual(arnOf(dev, deadLetterQueue));
    expect(actionsOf(sqs)).toContain('sqs:SendMessage');
  });

  it('is no HTTP route: nothing but its schedule (through its role) may invoke it', () => {
    expect(ROUTES.map((r) => r.handler)).not.toContain('watchdog');
    const fnArn = arnOf(dev, dev.stack.watchdog.function);
    const fnRef = { Ref: idOf(dev, dev.stack.watchdog.function) };
    const permissions = resourcesOf(dev, 'AWS::Lambda::Permission').filter(
      (p) => same(p.Properties.FunctionName, fnArn) || same(p.Properties.FunctionName, fnRef),
    );
    expect(permissions).toEqual([]);
    const invokers = resourcesOf(dev, 'AWS::IAM::Policy').filter((p) =>
      (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement.some(
        (st) => actionsOf([st]).includes('lambda:InvokeFunction') && same(st.Resource, fnArn),
      ),
    );
    expect(invokers.map((p) => p.Properties.Roles)).toEqual([
      [{ Ref: idOf(dev, dev.stack.watchdog.scheduleRole) }],
    ]);
  });
});
