import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { METRIC } from '../../functions/observability/metric-names.js';
import { GSI1 } from '../../functions/storage/table-definition.js';
import type { StageName } from '../stage-config.js';
import { productMetric } from './product-metric.js';
import { RUNBOOK } from './runbook.js';
import { type RunbookAlarmProps, runbookAlarm } from './runbook-alarm.js';
import type { WatchedDeadLetters, WatchedFunction } from './watched.js';

const { GREATER_THAN_OR_EQUAL_TO_THRESHOLD: AT_LEAST, GREATER_THAN_THRESHOLD: ABOVE } =
  cloudwatch.ComparisonOperator;

/** The thresholds, named once for the alarms, the tests and the runbook. */
export const ALARM_SETTINGS = {
  /** The period of every alarm but the watchdog's and the deliveries'. */
  period: Duration.minutes(5),
  /** Records older than this are late; at 24 h the stream drops them. */
  iteratorAgeMs: 15 * 60 * 1000,
  /** 5xx above this share of the API's requests in a period … */
  serverErrorShare: 0.01,
  /** … or at least this many in a period, whatever the traffic. */
  serverErrors: 5,
  /**
   * The watchdog runs daily: no finished run in 26 hours means a run was missed. Hourly periods:
   * CloudWatch allows an evaluation range (period × periods) of up to 7 days only for periods of an
   * hour or more (1 day below), and 26 h is more than a day.
   */
  watchdogPeriod: Duration.hours(1),
  watchdogSilentHours: 26,
  /** Failed webhook attempts per hour that say a subscriber is down (one is retried, not lost). */
  deliveryFailuresPerHour: 20,
} as const;

export interface TrackerAlarmsProps {
  stage: StageName;
  topic: sns.ITopic;
  /** Every dead-letter queue of the stack. */
  deadLetters: readonly WatchedDeadLetters[];
  /** Every function of the stack. */
  functions: readonly WatchedFunction[];
  apiStage: apigw.HttpStage;
  table: dynamodb.Table;
  publisher: lambda.IFunction;
}

/**
 * Every alarm, each to the one topic.
 *
 * Errors and throttles get one alarm per function rather than a metric-math alarm over all: a
 * math alarm reads at most 10 metrics (there are 20 functions), and an alarm that names the
 * failing function sends the reader straight to its log group.
 */
export class TrackerAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: TrackerAlarmsProps) {
    super(scope, id);
    const { stage, topic, apiStage, table, publisher } = props;
    const context = { stage, topic };
    const period = ALARM_SETTINGS.period;
    const add = (alarmId: string, alarmProps: RunbookAlarmProps) =>
      this.alarms.push(runbookAlarm(this, alarmId, context, alarmProps));

    for (const { queue, holds, name } of props.deadLetters) {
      add(`${name}NotEmpty`, {
        name: `dead-letters-${name}`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period }),
        threshold: 1,
        comparison: AT_LEAST,
        meaning: `The dead-letter queue ${name} holds messages. ${holds}`,
        runbook: RUNBOOK.deadLetters,
      });
    }

    add('PublisherIteratorAge', {
      name: 'events-late',
      metric: publisher.metric('IteratorAge', { statistic: 'Maximum', period }),
      threshold: ALARM_SETTINGS.iteratorAgeMs,
      comparison: ABOVE,
      meaning:
        'The stream publisher is more than 15 minutes behind the table: events are late, and a record the stream still holds after 24 h is lost from the bus.',
      runbook: RUNBOOK.eventsLate,
    });

    for (const { fn, name } of props.functions) {
      add(`${name}Errors`, {
        name: `errors-${name}`,
        metric: fn.metricErrors({ statistic: 'Sum', period }),
        threshold: 1,
        comparison: AT_LEAST,
        meaning: `The function ${name} failed (threw or timed out) in the last 5 minutes.`,
        runbook: RUNBOOK.functionErrors,
      });
      add(`${name}Throttles`, {
        name: `throttles-${name}`,
        metric: fn.metricThrottles({ statistic: 'Sum', period }),
        threshold: 1,
        comparison: AT_LEAST,
        meaning: `Lambda refused to run the function ${name} (the account's concurrency is used up).`,
        runbook: RUNBOOK.throttles,
      });
    }

    add('ApiServerErrors', {
      name: 'api-5xx',
      metric: new cloudwatch.MathExpression({
        // 1 when the period's 5xx are over 1 % of its requests or at least 5; FILL: no 5xx, no data.
        expression: `IF(FILL(errors, 0) >= ${ALARM_SETTINGS.serverErrors} || FILL(errors, 0) > ${ALARM_SETTINGS.serverErrorShare} * FILL(requests, 0), 1, 0)`,
        usingMetrics: {
          errors: apiStage.metricServerError({ statistic: 'Sum', period }),
          requests: apiStage.metricCount({ statistic: 'Sum', period }),
        },
        label: '5xx over 1 % of requests, or 5 and more',
        period,
      }),
      threshold: 1,
      comparison: AT_LEAST,
      meaning: 'The API answered 5xx to more than 1 % of its requests, or to 5 or more, in 5 minutes.',
      runbook: RUNBOOK.apiErrors,
    });

    const throttleEvents = (metricName: string, index?: string) =>
      table.metric(metricName, {
        statistic: 'Sum',
        period,
        dimensionsMap: {
          TableName: table.tableName,
          ...(index === undefined ? {} : { GlobalSecondaryIndexName: index }),
        },
      });
    add('TableThrottles', {
      name: 'table-throttles',
      metric: new cloudwatch.MathExpression({
        expression: 'FILL(reads, 0) + FILL(writes, 0) + FILL(indexReads, 0) + FILL(indexWrites, 0)',
        usingMetrics: {
          reads: throttleEvents('ReadThrottleEvents'),
          writes: throttleEvents('WriteThrottleEvents'),
          indexReads: throttleEvents('ReadThrottleEvents', GSI1.indexName),
          indexWrites: throttleEvents('WriteThrottleEvents', GSI1.indexName),
        },
        label: 'Throttled reads and writes (table and GSI1)',
        period,
      }),
      threshold: 1,
      comparison: AT_LEAST,
      meaning: 'DynamoDB throttled reads or writes of the table or its index in the last 5 minutes.',
      runbook: RUNBOOK.throttles,
    });

    add('WatchdogSilent', {
      name: 'watchdog-silent',
      metric: productMetric(stage, METRIC.watchdogRuns, {
        statistic: 'Sum',
        period: ALARM_SETTINGS.watchdogPeriod,
      }),
      threshold: 1,
      comparison: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      periods: ALARM_SETTINGS.watchdogSilentHours,
      missingData: cloudwatch.TreatMissingData.BREACHING,
      meaning: 'No watchdog run finished in 26 hours: overdue reports and projects at risk go unnoticed.',
      runbook: RUNBOOK.watchdogSilent,
    });

    add('DeliveriesFailing', {
      name: 'deliveries-failing',
      metric: productMetric(stage, METRIC.deliveriesFailed, { statistic: 'Sum', period: Duration.hours(1) }),
      threshold: ALARM_SETTINGS.deliveryFailuresPerHour,
      comparison: AT_LEAST,
      meaning: `At least ${ALARM_SETTINGS.deliveryFailuresPerHour} webhook attempts failed in an hour: a subscriber is probably down or refusing; they are retried for about a day. Tell the office concerned.`,
      runbook: RUNBOOK.deliveriesFailing,
    });
  }
}
