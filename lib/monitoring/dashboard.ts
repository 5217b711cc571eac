import { Aws, type CfnResource, Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { METRIC, type MetricName } from '../../functions/observability/metric-names.js';
import type { StageName } from '../stage-config.js';
import { productMetric } from './product-metric.js';
import type { WatchedDeadLetters, WatchedFunction } from './watched.js';

export interface TrackerDashboardProps {
  stage: StageName;
  apiStage: apigw.HttpStage;
  publisher: lambda.IFunction;
  functions: readonly WatchedFunction[];
  deadLetters: readonly WatchedDeadLetters[];
  alarms: cloudwatch.IAlarm[];
}

const FIVE_MINUTES = Duration.minutes(5);
const WIDE = { width: 12, height: 6 } as const;

/**
 * Cold starts per function: Lambda's `platform.report` lines (JSON log format) carry
 * `record.metrics.initDurationMs` on a cold start; `@initDuration` is the same field in a plain
 * text REPORT line, which log groups may still hold from before the JSON format.
 */
export const INIT_DURATION_QUERY = [
  'fields coalesce(record.metrics.initDurationMs, @initDuration) as initMs',
  'filter ispresent(initMs)',
  'stats count(*) as coldStarts, avg(initMs) as avgInitMs, pct(initMs, 95) as p95InitMs, max(initMs) as maxInitMs by @log',
  'sort p95InitMs desc',
];

/** The stage's operations dashboard: what the alarms watch and the traffic around it. */
export class TrackerDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  /** The dashboard in the CloudWatch console. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: TrackerDashboardProps) {
    super(scope, id);
    const { stage, apiStage, publisher } = props;
    const product = (name: MetricName, label: string, period = FIVE_MINUTES) =>
      productMetric(stage, name, { statistic: 'Sum', period, label });
    const { functions } = props;
    const perFunction = (metric: (fn: lambda.Function) => cloudwatch.Metric) =>
      functions.map(({ fn, name }) => metric(fn).with({ label: name }));

    const name = `livelihood-tracker-${stage}`;
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: name,
      defaultInterval: Duration.days(1),
      widgets: [
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms, width: 24, height: 4 })],
        [
          new cloudwatch.GraphWidget({
            title: 'API requests, 4xx and 5xx',
            left: [
              apiStage.metricCount({ statistic: 'Sum', period: FIVE_MINUTES, label: 'Requests' }),
              apiStage.metricClientError({ statistic: 'Sum', period: FIVE_MINUTES, label: '4xx' }),
              apiStage.metricServerError({ statistic: 'Sum', period: FIVE_MINUTES, label: '5xx' }),
            ],
            ...WIDE,
          }),
          new cloudwatch.GraphWidget({
            title: 'API latency (ms)',
            left: ['p50', 'p95'].map((statistic) =>
              apiStage.metricLatency({ statistic, period: FIVE_MINUTES, label: statistic }),
            ),
            ...WIDE,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Reports recorded per day',
            left: [product(METRIC.reportsRecorded, 'Reports', Duration.days(1))],
            view: cloudwatch.GraphWidgetView.BAR,
            width: 8,
            height: 6,
          }),
          new cloudwatch.GraphWidget({
            title: 'Events published',
            left: [product(METRIC.eventsPublished, 'Events'), product(METRIC.publishFailures, 'Failures')],
            width: 8,
            height: 6,
          }),
          new cloudwatch.GraphWidget({
            title: 'Webhook deliveries',
            left: [
              product(METRIC.deliveriesSucceeded, 'Succeeded'),
              product(METRIC.deliveriesFailed, 'Failed attempts'),
              product(METRIC.deliveriesDeadLettered, 'Dead-lettered'),
            ],
            width: 8,
            height: 6,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Dead-letter queues (messages waiting)',
            left: props.deadLetters.map(({ queue, name: label }) =>
              queue.metricApproximateNumberOfMessagesVisible({
                statistic: 'Maximum',
                period: FIVE_MINUTES,
                label,
              }),
            ),
            ...WIDE,
          }),
          new cloudwatch.GraphWidget({
            title: 'Stream publisher iterator age (ms)',
            left: [
              publisher.metric('IteratorAge', { statistic: 'Maximum', period: FIVE_MINUTES, label: 'Max' }),
            ],
            ...WIDE,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Function errors',
            left: perFunction((fn) => fn.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES })),
            legendPosition: cloudwatch.LegendPosition.RIGHT,
            ...WIDE,
          }),
          new cloudwatch.GraphWidget({
            title: 'Function duration p95 (ms)',
            left: perFunction((fn) => fn.metricDuration({ statistic: 'p95', period: FIVE_MINUTES })),
            legendPosition: cloudwatch.LegendPosition.RIGHT,
            ...WIDE,
          }),
        ],
        [
          new cloudwatch.LogQueryWidget({
            title: 'Cold starts: init duration per function (ms)',
            logGroupNames: functions.map(({ fn }) => fn.logGroup.logGroupName),
            queryLines: INIT_DURATION_QUERY,
            view: cloudwatch.LogQueryVisualizationType.TABLE,
            width: 24,
            height: 8,
          }),
        ],
      ],
    });
    // The stack's tags would land on the dashboard too, and cfn-lint 1.x's schema of
    // AWS::CloudWatch::Dashboard has no Tags yet (E3002): a dashboard needs none.
    (this.dashboard.node.defaultChild as CfnResource).addPropertyDeletionOverride('Tags');
    this.url = `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards/dashboard/${name}`;
  }
}
