import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { LOG_ENV } from '../functions/observability/logger.js';
import { FUNCTION_BUNDLING, FUNCTION_NODE_OPTIONS, handlerEntry, PROJECT_ROOT } from './bundling.js';
import { deployedFunction } from './function-handlers.js';
import type { StageConfig } from './stage-config.js';

/** Every function runs on it, the latest Node.js Lambda offers (the code also runs on Node 20 locally). */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;

export interface TrackerFunctionProps {
  config: StageConfig;
  /** Module under functions/handlers/ (without `.ts`) that exports `handler`. */
  handler: string;
  description: string;
  /** Default 10 seconds. */
  timeout?: Duration;
  /** Added to STAGE and NODE_OPTIONS, which every function gets. */
  environment?: Record<string, string>;
}

/**
 * A tracker function: arm64 Node.js with the memory lib/function-memory.ts gives it, its handler
 * bundled by esbuild (no Docker) as minified ESM with source maps and the AWS SDK inside, logging to its own log group kept for
 * the stage's retention period, traced by X-Ray. Its role holds no AWS managed policy: it may
 * write to its own log group and send traces, and each caller adds what the function uses.
 * HTTP routes and event functions are all made here.
 */
export const createTrackerFunction = (
  scope: Construct,
  id: string,
  props: TrackerFunctionProps,
): NodejsFunction => {
  const { config } = props;
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    retention: logRetention(config.logRetentionDays),
    removalPolicy: config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });

  const fn = new NodejsFunction(scope, id, {
    description: props.description,
    entry: handlerEntry(props.handler),
    handler: 'handler',
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
    runtime: FUNCTION_RUNTIME,
    architecture: lambda.Architecture.ARM_64,
    memorySize: deployedFunction(props.handler).memoryMb,
    timeout: props.timeout ?? Duration.seconds(10),
    logGroup,
    ...logging(config),
    tracing: lambda.Tracing.ACTIVE,
    environment: {
      ...props.environment,
      STAGE: config.stage,
      NODE_OPTIONS: FUNCTION_NODE_OPTIONS,
      [LOG_LEVEL_ENV]: config.logLevel,
    },
    bundling: {
      format: OUTPUT_FORMAT[FUNCTION_BUNDLING.format],
      target: FUNCTION_BUNDLING.target,
      mainFields: [...FUNCTION_BUNDLING.mainFields],
      banner: FUNCTION_BUNDLING.banner,
      bundleAwsSDK: FUNCTION_BUNDLING.bundleAwsSdk,
      minify: FUNCTION_BUNDLING.minify,
      sourceMap: FUNCTION_BUNDLING.sourceMap,
      forceDockerBundling: false,
      logLevel: LogLevel.WARNING,
    },
  });
  ownPermissionsOnly(fn, logGroup);
  return fn;
};

/** FUNCTION_BUNDLING's format as CDK spells it (CDK then names the bundle `index.mjs`, BUNDLE_FILE). */
const OUTPUT_FORMAT = { esm: OutputFormat.ESM } as const satisfies Record<
  typeof FUNCTION_BUNDLING.format,
  OutputFormat
>;

/**
 * Replaces the AWSLambdaBasicExecutionRole that Lambda's construct attaches (logs:CreateLogGroup,
 * CreateLogStream and PutLogEvents on every log group of the account) by the two log actions on
 * this function's own group, which exists before the function. The role keeps its construct path,
 * so its logical ID, and with it the deployed role, stays.
 */
const ownPermissionsOnly = (fn: NodejsFunction, logGroup: logs.LogGroup): void => {
  const role = fn.role;
  if (role === undefined) throw new Error(`${fn.node.path} has no role`);
  (role.node.defaultChild as iam.CfnRole).managedPolicyArns = undefined;
  logGroup.grantWrite(fn);
  // Tracing.ACTIVE grants xray:PutTraceSegments and xray:PutTelemetryRecords on '*'.
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level ' +
      "permission, so '*' is their only resource; no other statement of this role may use '*' " +
      '(tests/infra pin every statement).',
  });
};

/** The level the functions' own logger reads (Lambda filters by it too: see logging). */
export const LOG_LEVEL_ENV = LOG_ENV.level;

/**
 * Lambda's JSON log format: every line, the functions' and Lambda's own, is a JSON object, and
 * Lambda drops application lines below the stage's level. System lines stay at INFO rather than
 * WARN: WARN would drop each invocation's `platform.report`, the only place Lambda gives a cold
 * start's init duration (the dashboard's cold-start widget reads it) and a run's billed duration.
 */
const logging = (config: StageConfig) =>
  ({
    loggingFormat: lambda.LoggingFormat.JSON,
    applicationLogLevelV2: lambda.ApplicationLogLevel[config.logLevel],
    systemLogLevelV2: lambda.SystemLogLevel.INFO,
  }) as const;

const RETENTION: Readonly<Record<StageConfig['logRetentionDays'], logs.RetentionDays>> = {
  7: logs.RetentionDays.ONE_WEEK,
  30: logs.RetentionDays.ONE_MONTH,
  90: logs.RetentionDays.THREE_MONTHS,
  365: logs.RetentionDays.ONE_YEAR,
};

export const logRetention = (days: StageConfig['logRetentionDays']): logs.RetentionDays => RETENTION[days];
