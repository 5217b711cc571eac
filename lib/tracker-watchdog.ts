import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { WATCHDOG_SCHEDULE } from '../functions/events/plumbing.js';
import { GSI1, TABLE_NAME_ENV } from '../functions/storage/table-definition.js';
import { acknowledgeFailureDestination, createDeadLetterQueue } from './dead-letter-queue.js';
import { EVENT_FUNCTION_HANDLERS } from './function-handlers.js';
import type { StageConfig } from './stage-config.js';
import { createTrackerFunction } from './tracker-function.js';

/** Two years' projects: a Query each, then a read and a few conditional writes per project. */
export const WATCHDOG_TIMEOUT = Duration.seconds(60);
/** Lambda's own retries of a run that threw (a retried run writes only what is still missing). */
export const WATCHDOG_ASYNC_RETRIES = 2;
export const WATCHDOG_ASYNC_MAX_AGE = Duration.hours(6);

/** The table actions the watchdog's repositories use, and where. */
export const WATCHDOG_TABLE_ACTIONS = {
  /** ProjectRepository.listYear: the year index only. */
  index: ['dynamodb:Query'],
  /** NoticeRepository: the watch state (GetItem, UpdateItem) and the notices (PutItem, also in transactions). */
  table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
} as const;

export interface TrackerWatchdogProps {
  config: StageConfig;
  table: dynamodb.Table;
}

/**
 * The daily watchdog: EventBridge Scheduler invokes the function at WATCHDOG_SCHEDULE (09:00,
 * Asia/Shanghai); the function writes a notice per new finding and the table's stream announces
 * it. It never calls EventBridge itself. Scheduler (async) invocations it could not hand over, and
 * runs that still throw after Lambda's retries, land in one dead-letter queue.
 */
export class TrackerWatchdog extends Construct {
  readonly function: NodejsFunction;
  readonly schedule: scheduler.Schedule;
  readonly deadLetterQueue: sqs.Queue;
  /** The role Scheduler assumes: invoke this function, send to the dead-letter queue, nothing else. */
  readonly scheduleRole: iam.Role;

  constructor(scope: Construct, id: string, props: TrackerWatchdogProps) {
    super(scope, id);
    const { config, table } = props;

    this.deadLetterQueue = createDeadLetterQueue(
      this,
      'DeadLetters',
      'A daily watchdog run could not be invoked, or failed every attempt: its overdue and at-risk notices wait for the next run.',
    );

    this.function = createTrackerFunction(this, 'Function', {
      config,
      handler: EVENT_FUNCTION_HANDLERS.watchdog,
      description: 'Daily watchdog: notices overdue reports and at-risk transitions, once per occurrence',
      timeout: WATCHDOG_TIMEOUT,
      environment: { [TABLE_NAME_ENV]: table.tableName },
    });
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [...WATCHDOG_TABLE_ACTIONS.index],
        resources: [`${table.tableArn}/index/${GSI1.indexName}`],
      }),
    );
    this.function.addToRolePolicy(
      new iam.PolicyStatement({ actions: [...WATCHDOG_TABLE_ACTIONS.table], resources: [table.tableArn] }),
    );
    this.function.configureAsyncInvoke({
      retryAttempts: WATCHDOG_ASYNC_RETRIES,
      maxEventAge: WATCHDOG_ASYNC_MAX_AGE,
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    });
    acknowledgeFailureDestination(this.function, this.deadLetterQueue);

    // Scheduler's role, trusted only for schedules of this account's default group (no confused
    // deputy), allowed to invoke this function and send to the dead-letter queue.
    const stack = Stack.of(this);
    this.scheduleRole = new iam.Role(this, 'ScheduleRole', {
      description: 'Assumed by EventBridge Scheduler to run the watchdog',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({
              service: 'scheduler',
              resource: 'schedule-group',
              resourceName: 'default',
            }),
          },
        },
      }),
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Runs the watchdog every day at 09:00 China time',
      schedule: scheduler.ScheduleExpression.expression(
        WATCHDOG_SCHEDULE.expression,
        TimeZone.of(WATCHDOG_SCHEDULE.timeZone),
      ),
      timeWindow: scheduler.TimeWindow.off(),
      target: new ExactLambdaInvoke(this.function, {
        role: this.scheduleRole,
        input: scheduler.ScheduleTargetInput.fromObject({
          source: 'eventbridge-scheduler',
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
          executionId: scheduler.ContextAttribute.executionId,
          attemptNumber: scheduler.ContextAttribute.attemptNumber,
        }),
        retryAttempts: WATCHDOG_SCHEDULE.retryPolicy.maximumRetryAttempts,
        maxEventAge: Duration.seconds(WATCHDOG_SCHEDULE.retryPolicy.maximumEventAgeSeconds),
        deadLetterQueue: this.deadLetterQueue,
      }),
    });
  }
}

/**
 * LambdaInvoke whose invoke grant names the function's ARN alone: `grantInvoke` would add every
 * version and alias (`<arn>:*`), and Scheduler invokes the unqualified function only.
 */
class ExactLambdaInvoke extends schedulerTargets.LambdaInvoke {
  private readonly target: lambda.IFunction;

  constructor(target: lambda.IFunction, props: schedulerTargets.ScheduleTargetBaseProps) {
    super(target, props);
    this.target = target;
  }

  protected override addTargetActionToRole(role: iam.IRole): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.target.functionArn] }),
    );
  }
}
