import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC, METRIC_NAMESPACE, STAGE_DIMENSION } from '../../functions/observability/metric-names.js';
import { GSI1 } from '../../functions/storage/table-definition.js';
import { deadLetterQueuesIn } from '../../lib/dead-letter-queue.js';
import { ALARM_SETTINGS } from '../../lib/monitoring/tracker-alarms.js';
import { STAGES, type StageConfig } from '../../lib/stage-config.js';
import { LOG_LEVEL_ENV } from '../../lib/tracker-function.js';
import { type Synthesised, synthesise as synthesiseInto } from '../support/synthesise.js';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Dimension = { Name: string; Value: unknown };
type MetricStat = {
  Metric: { Namespace: string; MetricName: string; Dimensions: Dimension[] };
  Period: number;
  Stat: string;
};
type Query = { Id: string; Expression?: string; MetricStat?: MetricStat; ReturnData?: boolean };
type AlarmProperties = {
  AlarmName: string;
  AlarmDescription: string;
  AlarmActions: unknown[];
  OKActions: unknown[];
  Namespace?: string;
  MetricName?: string;
  Dimensions?: Dimension[];
  Statistic?: string;
  Period?: number;
  Metrics?: Query[];
  Threshold: number;
  ComparisonOperator: string;
  EvaluationPeriods: number;
  DatapointsToAlarm: number;
  TreatMissingData: string;
};

/** One output directory for every variant: the asset cache is keyed by it, so each handler is bundled once. */
const OUTDIR = mkdtempSync(join(tmpdir(), 'tracker-monitoring-'));
afterAll(() => rmSync(OUTDIR, { recursive: true, force: true }));

const EMAILS = ['duty@example.org', 'office@example.org'];
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

let dev: Synthesised;
let prod: Synthesised;

beforeAll(() => {
  dev = synthesiseInto(OUTDIR, 'LivelihoodTracker-dev', STAGES.dev);
  const withEmails: StageConfig = { ...STAGES.prod, alarmEmails: EMAILS };
  prod = synthesiseInto(OUTDIR, 'LivelihoodTracker-prod', withEmails);
}, 240_000);

const idOf = (s: Synthesised, construct: IConstruct | undefined): string =>
  s.stack.getLogicalId((construct?.node.defaultChild ?? construct) as CfnElement);
const resourcesOf = (s: Synthesised, type: string): Record<string, Resource> =>
  s.template.findResources(type) as Record<string, Resource>;
const alarmsOf = (s: Synthesised): AlarmProperties[] =>
  Object.values(resourcesOf(s, 'AWS::CloudWatch::Alarm')).map((r) => r.Properties as AlarmProperties);
const topicRef = (s: Synthesised) => ({ Ref: idOf(s, s.stack.monitoring.topic.topic) });

/** The alarms reading this metric (a plain metric alarm, or a math alarm using it). */
const alarmsOn = (s: Synthesised, metricName: string): AlarmProperties[] =>
  alarmsOf(s).filter(
    (a) =>
      a.MetricName === metricName ||
      (a.Metrics ?? []).some((q) => q.MetricStat?.Metric.MetricName === metricName),
  );
/** The one alarm reading this metric. */
const theAlarmOn = (s: Synthesised, metricName: string): AlarmProperties | undefined => {
  const alarms = alarmsOn(s, metricName);
  expect(alarms, metricName).toHaveLength(1);
  return alarms[0];
};
/** A product metric of the prod stage, summed. */
const PROD_PRODUCT_METRIC = {
  Namespace: METRIC_NAMESPACE,
  Dimensions: [{ Name: STAGE_DIMENSION, Value: 'prod' }],
  Statistic: 'Sum',
};
const dimension = (a: { Dimensions?: Dimension[] }, name: string): unknown =>
  a.Dimensions?.find((d) => d.Name === name)?.Value;

/** The headings under README's "## Operating it", up to the next second-level heading. */
const runbookHeadings = (): string[] => {
  const start = README.indexOf('\n## Operating it\n');
  expect(start).toBeGreaterThan(0);
  const end = README.indexOf('\n## ', start + 1);
  const section = README.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/^### (.+)$/gm)].map((m) => (m[1] as string).trim());
};

describe('the alarm topic', () => {
  it('is one topic encrypted with a rotated key that CloudWatch may use, and accepts publishing over TLS only', () => {
    for (const s of [dev, prod]) {
      s.template.resourceCountIs('AWS::SNS::Topic', 1);
      const keyId = idOf(s, s.stack.monitoring.topic.key);
      s.template.hasResourceProperties('AWS::SNS::Topic', {
        TopicName: `livelihood-tracker-${s.config.stage}-alarms`,
        KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      });
      const key = resourcesOf(s, 'AWS::KMS::Key')[keyId] as Resource;
      expect(key.Properties.EnableKeyRotation).toBe(true);
      // The account manages it; CloudWatch alone may use it; no role of the stack is named.
      const keyStatements = (key.Properties.KeyPolicy as { Statement: Record<string, unknown>[] }).Statement;
      expect(keyStatements.map((st) => st.Principal)).toEqual([
        { AWS: expect.objectContaining({ 'Fn::Join': expect.anything() }) },
        { Service: 'cloudwatch.amazonaws.com' },
      ]);
      expect(JSON.stringify(keyStatements[0]?.Principal)).toContain(':root');
      expect(keyStatements[1]).toMatchObject({
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      });

      const policies = Object.values(resourcesOf(s, 'AWS::SNS::TopicPolicy'));
      expect(policies).toHaveLength(1);
      const statements = policies.flatMap(
        (p) => (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
      );
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sns:Publish',
          Principal: '*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
      const cloudwatch = statements.find((st) => JSON.stringify(st.Principal).includes('cloudwatch'));
      expect(cloudwatch).toMatchObject({ Effect: 'Allow', Action: 'sns:Publish', Resource: topicRef(s) });
      expect(JSON.stringify(cloudwatch?.Condition)).toContain(':alarm:*');
    }
  });

  it("subscribes each of the stage's alarm e-mails, and none when there are none", () => {
    dev.template.resourceCountIs('AWS::SNS::Subscription', 0);
    prod.template.resourceCountIs('AWS::SNS::Subscription', EMAILS.length);
    for (const email of EMAILS) {
      prod.template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: email,
        TopicArn: topicRef(prod),
      });
    }
  });

  it('names the topic and the dashboard in the outputs', () => {
    prod.template.hasOutput('AlarmTopicArn', { Value: topicRef(prod) });
    const url = JSON.stringify(prod.template.findOutputs('DashboardUrl'));
    expect(url).toContain('console.aws.amazon.com/cloudwatch/home?region=');
    expect(url).toContain('#dashboards/dashboard/livelihood-tracker-prod');
  });
});

describe('every alarm', () => {
  it('notifies the topic when it fires and when it is OK again, under a unique name of its stage', () => {
    for (const s of [dev, prod]) {
      const alarms = alarmsOf(s);
      expect(alarms.length).toBeGreaterThan(10);
      for (const alarm of alarms) {
        expect(alarm.AlarmActions, alarm.AlarmName).toEqual([topicRef(s)]);
        expect(alarm.OKActions, alarm.AlarmName).toEqual([topicRef(s)]);
        expect(alarm.AlarmName).toMatch(new RegExp(`^livelihood-tracker-${s.config.stage}-`));
        expect(alarm.DatapointsToAlarm).toBe(alarm.EvaluationPeriods);
      }
      expect(new Set(alarms.map((a) => a.AlarmName)).size).toBe(alarms.length);
    }
  });

  it('says what it means and names a runbook section that exists under README\'s "Operating it"', () => {
    const headings = runbookHeadings();
    for (const alarm of alarmsOf(prod)) {
      const named = /Runbook: README\.md, "Operating it", section "([^"]+)"\.$/.exec(alarm.AlarmDescription);
      expect(named, alarm.AlarmName).not.toBeNull();
      expect(headings, alarm.AlarmName).toContain(named?.[1]);
      // What it means comes first: more than the reference alone.
      expect(alarm.AlarmDescription.indexOf('Runbook:'), alarm.AlarmName).toBeGreaterThan(30);
    }
  });
});

describe('the dead-letter alarms', () => {
  it('watch every dead-letter queue: one alarm per queue that nothing redrives, 5 in all', () => {
    for (const s of [dev, prod]) {
      const queues = resourcesOf(s, 'AWS::SQS::Queue');
      // A queue without a redrive policy is where messages end: each one must be watched.
      const terminal = Object.entries(queues)
        .filter(([, q]) => q.Properties.RedrivePolicy === undefined)
        .map(([id]) => id);
      const registered = deadLetterQueuesIn(s.stack).map((d) => idOf(s, d.queue));
      expect(registered.sort()).toEqual(terminal.sort());
      const { events, watchdog } = s.stack;
      expect(registered.sort()).toEqual(
        [
          events.streamFailureQueue,
          events.notifierDeadLetterQueue,
          events.deliveryDeadLetterQueue,
          events.replayDeadLetterQueue,
          watchdog.deadLetterQueue,
        ]
          .map((q) => idOf(s, q))
          .sort(),
      );

      const depthAlarms = alarmsOn(s, 'ApproximateNumberOfMessagesVisible');
      expect(depthAlarms).toHaveLength(registered.length);
      for (const id of registered) {
        const [alarm, ...others] = depthAlarms.filter(
          (a) =>
            JSON.stringify(dimension(a, 'QueueName')) === JSON.stringify({ 'Fn::GetAtt': [id, 'QueueName'] }),
        );
        expect(others, id).toEqual([]);
        expect(alarm, id).toMatchObject({
          Namespace: 'AWS/SQS',
          Statistic: 'Maximum',
          Period: 300,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          EvaluationPeriods: 1,
          TreatMissingData: 'notBreaching',
        });
      }
    }
  });

  it('say which queue holds messages and what they mean, the poison records of the stream included', () => {
    const [streamFailures] = alarmsOf(prod).filter((a) =>
      a.AlarmName.endsWith('dead-letters-EventsStreamFailures'),
    );
    expect(streamFailures?.AlarmDescription).toContain('UnpublishableStreamRecord');
    for (const { name, holds } of deadLetterQueuesIn(prod.stack).map((d) => ({
      name: d.queue.node.path.split('/').slice(1).join(''),
      holds: d.holds,
    }))) {
      const [alarm] = alarmsOf(prod).filter((a) => a.AlarmName.endsWith(`dead-letters-${name}`));
      expect(alarm?.AlarmDescription, name).toContain(
        `The dead-letter queue ${name} holds messages. ${holds}`,
      );
    }
  });
});

describe('the function alarms', () => {
  it('watch the Errors and the Throttles of every function, the replay worker included', () => {
    const functionIds = Object.keys(resourcesOf(prod, 'AWS::Lambda::Function'));
    expect(functionIds).toContain(idOf(prod, prod.stack.events.replayWorker));
    for (const metricName of ['Errors', 'Throttles']) {
      const alarms = alarmsOn(prod, metricName);
      expect(alarms).toHaveLength(functionIds.length);
      expect(alarms.map((a) => (dimension(a, 'FunctionName') as { Ref: string }).Ref).sort()).toEqual(
        [...functionIds].sort(),
      );
      for (const alarm of alarms) {
        expect(alarm).toMatchObject({
          Namespace: 'AWS/Lambda',
          Statistic: 'Sum',
          Period: 300,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        });
      }
    }
  });

  it("fire when the publisher's stream iterator age passes 15 minutes", () => {
    const alarm = theAlarmOn(prod, 'IteratorAge');
    expect(alarm).toMatchObject({
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: idOf(prod, prod.stack.events.publisher) } }],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 15 * 60 * 1000,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });
});

describe('the API and table alarms', () => {
  it("fire on 5xx above 1 % of the default stage's requests, or 5 in 5 minutes", () => {
    const alarm = theAlarmOn(prod, '5xx');
    const queries = alarm?.Metrics ?? [];
    const stat = (name: string) => queries.find((q) => q.MetricStat?.Metric.MetricName === name);
    const apiId = { Ref: idOf(prod, prod.stack.api.httpApi) };
    for (const name of ['5xx', 'Count']) {
      expect(stat(name)?.MetricStat, name).toEqual({
        Metric: {
          Namespace: 'AWS/ApiGateway',
          MetricName: name,
          Dimensions: [
            { Name: 'ApiId', Value: apiId },
            { Name: 'Stage', Value: '$default' },
          ],
        },
        Period: 300,
        Stat: 'Sum',
      });
    }
    const errors = stat('5xx')?.Id;
    const requests = stat('Count')?.Id;
    const [expression] = queries.filter((q) => q.ReturnData !== false);
    expect(expression?.Expression).toBe(
      `IF(FILL(${errors}, 0) >= 5 || FILL(${errors}, 0) > 0.01 * FILL(${requests}, 0), 1, 0)`,
    );
    expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });

  it('fire on any throttled read or write of the table or its index', () => {
    const alarm = theAlarmOn(prod, 'ReadThrottleEvents');
    const tableName = { Ref: idOf(prod, prod.stack.table.table) };
    const stats = (alarm?.Metrics ?? []).flatMap((q) => (q.MetricStat === undefined ? [] : [q.MetricStat]));
    expect(
      stats.map((st) => ({
        name: st.Metric.MetricName,
        table: dimension(st.Metric, 'TableName'),
        index: dimension(st.Metric, 'GlobalSecondaryIndexName'),
      })),
    ).toEqual(
      expect.arrayContaining([
        { name: 'ReadThrottleEvents', table: tableName, index: undefined },
        { name: 'WriteThrottleEvents', table: tableName, index: undefined },
        { name: 'ReadThrottleEvents', table: tableName, index: GSI1.indexName },
        { name: 'WriteThrottleEvents', table: tableName, index: GSI1.indexName },
      ]),
    );
    expect(stats.every((st) => st.Stat === 'Sum' && st.Period === 300)).toBe(true);
    const [sum] = (alarm?.Metrics ?? []).filter((q) => q.ReturnData !== false);
    for (const q of (alarm?.Metrics ?? []).filter((q) => q.MetricStat))
      expect(sum?.Expression).toContain(q.Id);
    expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });
});

describe('the product alarms', () => {
  it('fire when no watchdog run finished for 26 hours, in an evaluation range CloudWatch accepts', () => {
    const alarm = theAlarmOn(prod, METRIC.watchdogRuns);
    expect(alarm).toMatchObject({
      ...PROD_PRODUCT_METRIC,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
    const period = alarm?.Period ?? 0;
    const periods = alarm?.EvaluationPeriods ?? 0;
    expect(period * periods).toBe(26 * 3600);
    expect(alarm?.DatapointsToAlarm).toBe(periods);
    // PutMetricAlarm: period × periods at most 1 day below a period of an hour, 7 days from an hour on.
    expect(period * periods).toBeLessThanOrEqual(period < 3600 ? 86_400 : 604_800);
  });

  it('fire when webhook attempts keep failing, a hint to tell the office', () => {
    const alarm = theAlarmOn(prod, METRIC.deliveriesFailed);
    expect(alarm).toMatchObject({
      ...PROD_PRODUCT_METRIC,
      Period: 3600,
      Threshold: ALARM_SETTINGS.deliveryFailuresPerHour,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(alarm?.AlarmDescription).toMatch(/tell the office/i);
  });
});

describe('the dashboard', () => {
  it("is one per stage and shows the API, the product's metrics, every dead-letter queue and every function", () => {
    for (const s of [dev, prod]) {
      const dashboards = Object.values(resourcesOf(s, 'AWS::CloudWatch::Dashboard'));
      expect(dashboards).toHaveLength(1);
      const [dashboard] = dashboards;
      expect(dashboard?.Properties.DashboardName).toBe(`livelihood-tracker-${s.config.stage}`);
      const body = JSON.stringify(dashboard?.Properties.DashboardBody);
      for (const text of [
        '\\"5xx\\"',
        '\\"4xx\\"',
        '\\"Count\\"',
        '\\"Latency\\"',
        '\\"stat\\":\\"p50\\"',
        '\\"stat\\":\\"p95\\"',
        '\\"IteratorAge\\"',
        '\\"Duration\\"',
        '\\"Errors\\"',
        'initDurationMs',
        ...[
          METRIC.reportsRecorded,
          METRIC.eventsPublished,
          METRIC.deliveriesSucceeded,
          METRIC.deliveriesFailed,
        ].map((name) => `\\"${name}\\"`),
      ]) {
        expect(body, text).toContain(text);
      }
      // Reports per day: a one-day period.
      expect(body).toMatch(/ReportsRecorded[^\]]*\\"period\\":86400/);
      for (const { queue } of deadLetterQueuesIn(s.stack)) {
        expect(body).toContain(JSON.stringify({ 'Fn::GetAtt': [idOf(s, queue), 'QueueName'] }));
      }
      // Cold starts are read from every function's log group.
      for (const logGroup of Object.keys(resourcesOf(s, 'AWS::Logs::LogGroup')).filter(
        (id) => !id.startsWith('Api'),
      )) {
        expect(body, logGroup).toContain(JSON.stringify({ Ref: logGroup }));
      }
      for (const alarm of Object.keys(resourcesOf(s, 'AWS::CloudWatch::Alarm'))) {
        expect(body, alarm).toContain(JSON.stringify({ 'Fn::GetAtt': [alarm, 'Arn'] }));
      }
    }
  });
});

describe('the functions log', () => {
  it("as JSON at the stage's level, Lambda's own lines at INFO, with LOG_LEVEL in the environment", () => {
    for (const s of [dev, prod]) {
      const functions = Object.values(resourcesOf(s, 'AWS::Lambda::Function'));
      expect(functions.length).toBeGreaterThan(10);
      for (const fn of functions) {
        expect(fn.Properties.LoggingConfig).toEqual({
          LogFormat: 'JSON',
          ApplicationLogLevel: s.config.logLevel,
          SystemLogLevel: 'INFO',
          LogGroup: expect.objectContaining({ Ref: expect.any(String) }),
        });
        const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
        expect(env[LOG_LEVEL_ENV]).toBe(s.config.logLevel);
      }
    }
    expect(STAGES.dev.logLevel).not.toBe(STAGES.prod.logLevel);
  });
});

describe('the redrive outputs', () => {
  it('give the ARNs of the SQS dead-letter queues and of the queues they came from', () => {
    const { events } = prod.stack;
    for (const [name, queue] of [
      ['DeliveryQueueArn', events.deliveryQueue],
      ['DeliveryDeadLetterQueueArn', events.deliveryDeadLetterQueue],
      ['ReplayQueueArn', events.replayQueue],
      ['ReplayDeadLetterQueueArn', events.replayDeadLetterQueue],
    ] as const) {
      prod.template.hasOutput(name, { Value: { 'Fn::GetAtt': [idOf(prod, queue), 'Arn'] } });
    }
    // The registry knows which dead letters SQS can move back, and where to.
    const sources = deadLetterQueuesIn(prod.stack)
      .filter((d) => d.source !== undefined)
      .map((d) => [idOf(prod, d.queue), idOf(prod, d.source)]);
    expect(sources.sort()).toEqual(
      [
        [idOf(prod, events.deliveryDeadLetterQueue), idOf(prod, events.deliveryQueue)],
        [idOf(prod, events.replayDeadLetterQueue), idOf(prod, events.replayQueue)],
      ].sort(),
    );
    for (const name of ['StreamFailureQueueUrl', 'NotifierDeadLetterQueueUrl', 'WatchdogFunctionName']) {
      expect(Object.keys(prod.template.findOutputs(name)), name).toHaveLength(1);
    }
  });
});
