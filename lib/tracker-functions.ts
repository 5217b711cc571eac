import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTES, type RouteDefinition, type TableAccess } from '../functions/http/routes.js';
import { GSI1, TABLE_NAME_ENV } from '../functions/storage/table-definition.js';
import type { StageConfig } from './stage-config.js';

/** Repository root, resolved from this file so synthesis works from any working directory. */
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const handlerEntry = (route: RouteDefinition): string =>
  fileURLToPath(new URL(`../functions/handlers/${route.handler}.ts`, import.meta.url));

/** esbuild emits ESM; a few CommonJS dependencies still call `require`, so define it. */
const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_22_X;

/**
 * Exactly the calls the repositories make, and no more: no Scan, no DeleteItem, no stream
 * reads. TransactWriteItems is authorised per item through PutItem/UpdateItem/ConditionCheckItem.
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

export interface TrackerFunctionsProps {
  config: StageConfig;
  table: dynamodb.Table;
}

/** One function per route in ROUTES, with the table permissions its `tableAccess` asks for and no more. */
export class TrackerFunctions extends Construct {
  /** Route id → function. */
  readonly byRoute: ReadonlyMap<string, NodejsFunction>;

  constructor(scope: Construct, id: string, props: TrackerFunctionsProps) {
    super(scope, id);
    const { config, table } = props;
    const byRoute = new Map<string, NodejsFunction>();

    for (const route of ROUTES) {
      const logGroup = new logs.LogGroup(this, `${route.id}Logs`, {
        retention: logRetention(config.logRetentionDays),
        removalPolicy: config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });

      const fn = new NodejsFunction(this, route.id, {
        description: `${route.method} ${route.path} — ${route.summary}`,
        entry: handlerEntry(route),
        handler: 'handler',
        projectRoot: PROJECT_ROOT,
        depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
        runtime: FUNCTION_RUNTIME,
        architecture: lambda.Architecture.ARM_64,
        memorySize: 512,
        timeout: Duration.seconds(10),
        logGroup,
        environment: {
          // Only functions that may touch the table learn its name.
          ...(route.tableAccess === 'none' ? {} : { [TABLE_NAME_ENV]: table.tableName }),
          STAGE: config.stage,
          NODE_OPTIONS: '--enable-source-maps',
        },
        bundling: {
          format: OutputFormat.ESM,
          target: 'node22',
          mainFields: ['module', 'main'],
          banner: ESM_REQUIRE_BANNER,
          bundleAwsSDK: true,
          minify: true,
          sourceMap: true,
          forceDockerBundling: false,
          logLevel: LogLevel.WARNING,
        },
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

const RETENTION: Readonly<Record<StageConfig['logRetentionDays'], logs.RetentionDays>> = {
  7: logs.RetentionDays.ONE_WEEK,
  30: logs.RetentionDays.ONE_MONTH,
  90: logs.RetentionDays.THREE_MONTHS,
  365: logs.RetentionDays.ONE_YEAR,
};

export const logRetention = (days: StageConfig['logRetentionDays']): logs.RetentionDays => RETENTION[days];
