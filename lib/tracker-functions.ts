import { Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_ENV } from '../functions/events/plumbing.js';
import { ROUTES, type TableAccess } from '../functions/http/routes.js';
import { GSI1, TABLE_NAME_ENV } from '../functions/storage/table-definition.js';
import type { StageConfig } from './stage-config.js';
import { createTrackerFunction } from './tracker-function.js';
import { webhookPolicyEnvironment } from './webhook-policy-environment.js';
import type { WebhookSecretsKey } from './webhook-secrets-key.js';

/**
 * Exactly the calls the repositories make, and no more: no Scan, no DeleteItem, no stream
 * reads. TransactWriteItems is authorised per item through PutItem/UpdateItem/ConditionCheckItem.
 * (Deleting a subscription marks it deleted with UpdateItem.)
 */
export const TABLE_ACTIONS: Readonly<Record<TableAccess, readonly string[]>> = {
  none: [],
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  write: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:ConditionCheckItem',
  ],
};

/** Routes that check a webhook URL against the address policy (and so read allowLocalWebhooks). */
export const WEBHOOK_URL_ROUTES: readonly string[] = ['createSubscription'];

export interface TrackerFunctionsProps {
  config: StageConfig;
  table: dynamodb.Table;
  /** Where routes with `queuesReplays` send a replay's first page. */
  replayQueue: sqs.IQueue;
  /** Routes with `sealsSecrets` may generate data keys with it (and never decrypt). */
  secretsKey: WebhookSecretsKey;
}

/** One function per route in ROUTES, with the table permissions its `tableAccess` asks for and no more. */
export class TrackerFunctions extends Construct {
  /** Route id → function. */
  readonly byRoute: ReadonlyMap<string, NodejsFunction>;

  constructor(scope: Construct, id: string, props: TrackerFunctionsProps) {
    super(scope, id);
    const { config, table, replayQueue, secretsKey } = props;
    const byRoute = new Map<string, NodejsFunction>();

    for (const name of WEBHOOK_URL_ROUTES) {
      if (!ROUTES.some((r) => r.id === name)) throw new Error(`No route "${name}" in ROUTES`);
    }

    for (const route of ROUTES) {
      const fn = createTrackerFunction(this, route.id, {
        config,
        handler: route.handler,
        description: `${route.method} ${route.path} — ${route.summary}`,
        environment: {
          // Only functions that may touch the table learn its name; likewise the queue's URL.
          ...(route.tableAccess === 'none' ? {} : { [TABLE_NAME_ENV]: table.tableName }),
          ...(route.queuesReplays ? { [EVENT_ENV.replayQueueUrl]: replayQueue.queueUrl } : {}),
          ...(WEBHOOK_URL_ROUTES.includes(route.id) ? webhookPolicyEnvironment(config) : {}),
          ...(route.id === 'createSubscription'
            ? { [EVENT_ENV.maxSubscriptionsPerOffice]: String(config.maxSubscriptionsPerOffice) }
            : {}),
        },
      });

      Validations.of(fn).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason:
          "API Gateway invokes route functions synchronously: a failure is the caller's 5xx answer " +
          '(and an error in the logs), and a dead-letter target only ever receives asynchronous events.',
      });

      const actions = TABLE_ACTIONS[route.tableAccess];
      if (actions.length > 0) {
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: [...actions],
            resources: [table.tableArn, `${table.tableArn}/index/${GSI1.indexName}`],
          }),
        );
      }
      if (route.queuesReplays) {
        // SSE-SQS needs no KMS grant.
        fn.addToRolePolicy(
          new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [replayQueue.queueArn] }),
        );
      }
      if (route.sealsSecrets) secretsKey.allowSealing(fn);
      byRoute.set(route.id, fn);
    }
    this.byRoute = byRoute;
  }

  /** The function for a route id; throws on an unknown id so a typo fails synthesis. */
  forRoute(routeId: string): NodejsFunction {
    const fn = this.byRoute.get(routeId);
    if (fn === undefined) throw new Error(`No function for route "${routeId}"`);
    return fn;
  }
}
