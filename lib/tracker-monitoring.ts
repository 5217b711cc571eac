import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, type IConstruct } from 'constructs';
import { AlarmTopic } from './monitoring/alarm-topic.js';
import { TrackerDashboard } from './monitoring/dashboard.js';
import { TrackerAlarms } from './monitoring/tracker-alarms.js';
import { watchedIn } from './monitoring/watched.js';
import type { StageConfig } from './stage-config.js';

export interface TrackerMonitoringProps {
  config: StageConfig;
  /** The stack: every dead-letter queue and function in it is watched. */
  watched: IConstruct;
  apiStage: apigw.HttpStage;
  table: dynamodb.Table;
  /** The stream publisher, whose iterator age says whether events are late. */
  publisher: lambda.IFunction;
}

/**
 * Alarms on one encrypted SNS topic, and the stage's dashboard. Make it last in the stack: it
 * finds the dead-letter queues and functions to watch in what exists when it is made.
 */
export class TrackerMonitoring extends Construct {
  readonly topic: AlarmTopic;
  readonly alarms: TrackerAlarms;
  readonly dashboard: TrackerDashboard;

  constructor(scope: Construct, id: string, props: TrackerMonitoringProps) {
    super(scope, id);
    const { config, apiStage, table, publisher } = props;
    const { deadLetters, functions } = watchedIn(props.watched);

    this.topic = new AlarmTopic(this, 'AlarmTopic', config);
    this.alarms = new TrackerAlarms(this, 'Alarms', {
      stage: config.stage,
      topic: this.topic.topic,
      deadLetters,
      functions,
      apiStage,
      table,
      publisher,
    });
    this.dashboard = new TrackerDashboard(this, 'Dashboard', {
      stage: config.stage,
      apiStage,
      publisher,
      functions,
      deadLetters,
      alarms: this.alarms.alarms,
    });
  }
}
