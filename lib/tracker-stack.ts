import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { type StageConfig, validateStageConfig } from './stage-config.js';
import { TrackerApi } from './tracker-api.js';
import { TrackerAuth } from './tracker-auth.js';
import { TrackerEvents } from './tracker-events.js';
import { TrackerFunctions } from './tracker-functions.js';
import { TrackerMonitoring } from './tracker-monitoring.js';
import { TrackerTable } from './tracker-table.js';
import { TrackerWatchdog } from './tracker-watchdog.js';
import { WebhookSecretsKey } from './webhook-secrets-key.js';

export interface TrackerStackProps extends StackProps {
  /** Stage settings; tests pass variants (e.g. `publicReads: false`). */
  config: StageConfig;
}

/** Composes the tracker's constructs; holds no resources of its own besides outputs. */
export class TrackerStack extends Stack {
  readonly table: TrackerTable;
  readonly auth: TrackerAuth;
  readonly events: TrackerEvents;
  readonly functions: TrackerFunctions;
  readonly api: TrackerApi;
  readonly watchdog: TrackerWatchdog;
  readonly secretsKey: WebhookSecretsKey;
  readonly monitoring: TrackerMonitoring;

  constructor(scope: Construct, id: string, props: TrackerStackProps) {
    super(scope, id, props);
    const { config } = props;
    validateStageConfig(config);

    this.table = new TrackerTable(this, 'Data', { protectData: config.protectData });
    this.auth = new TrackerAuth(this, 'Auth', { protectData: config.protectData, mfa: config.mfa });
    this.secretsKey = new WebhookSecretsKey(this, 'WebhookSecrets', { protectData: config.protectData });
    this.events = new TrackerEvents(this, 'Events', {
      config,
      table: this.table.table,
      secretsKey: this.secretsKey,
    });
    this.functions = new TrackerFunctions(this, 'Functions', {
      config,
      table: this.table.table,
      replayQueue: this.events.replayQueue,
      secretsKey: this.secretsKey,
    });
    this.api = new TrackerApi(this, 'Api', {
      config,
      functions: this.functions,
      authorizer: this.auth.authorizer,
    });
    this.watchdog = new TrackerWatchdog(this, 'Watchdog', { config, table: this.table.table });
    // Last: it watches every dead-letter queue and function made above.
    this.monitoring = new TrackerMonitoring(this, 'Monitoring', {
      config,
      watched: this,
      apiStage: this.api.stage,
      table: this.table.table,
      publisher: this.events.publisher,
    });
    const { table, auth, events, api, monitoring } = this;

    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'TableName', { value: table.table.tableName });
    new CfnOutput(this, 'UserPoolId', { value: auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: auth.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'Region', { value: this.region });
    new CfnOutput(this, 'EventBusName', { value: events.bus.eventBusName });
    new CfnOutput(this, 'EventBusArn', { value: events.bus.eventBusArn });
    new CfnOutput(this, 'DeliveryQueueUrl', { value: events.deliveryQueue.queueUrl });
    new CfnOutput(this, 'DeliveryDeadLetterQueueUrl', {
      value: events.deliveryDeadLetterQueue.queueUrl,
      description: 'Webhook deliveries that failed every attempt',
    });
    new CfnOutput(this, 'ReplayDeadLetterQueueUrl', {
      value: events.replayDeadLetterQueue.queueUrl,
      description: 'Replay pages that failed every attempt and could not even mark their replay failed',
    });
    new CfnOutput(this, 'WatchdogDeadLetterQueueUrl', {
      value: this.watchdog.deadLetterQueue.queueUrl,
      description: 'Watchdog runs that could not be invoked, or failed every attempt',
    });
    const outputs: [id: string, value: string, description?: string][] = [
      [
        'StreamFailureQueueUrl',
        events.streamFailureQueue.queueUrl,
        'Stream records that can never become events, and batches given up on',
      ],
      [
        'NotifierDeadLetterQueueUrl',
        events.notifierDeadLetterQueue.queueUrl,
        'Events the notifier could not fan out to subscriptions',
      ],
      // A message-move task (`aws sqs start-message-move-task`) names its queues by ARN.
      ['DeliveryQueueArn', events.deliveryQueue.queueArn],
      ['DeliveryDeadLetterQueueArn', events.deliveryDeadLetterQueue.queueArn],
      ['ReplayQueueArn', events.replayQueue.queueArn],
      ['ReplayDeadLetterQueueArn', events.replayDeadLetterQueue.queueArn],
      ['WatchdogFunctionName', this.watchdog.function.functionName, 'Invoke it to run the watchdog now'],
      [
        'AlarmTopicArn',
        monitoring.topic.topic.topicArn,
        'Every alarm notifies this topic when it fires and when it is OK again',
      ],
      [
        'DashboardUrl',
        monitoring.dashboard.url,
        "The stage's operations dashboard in the CloudWatch console",
      ],
    ];
    for (const [outputId, value, description] of outputs) {
      new CfnOutput(this, outputId, { value, ...(description === undefined ? {} : { description }) });
    }
  }
}
