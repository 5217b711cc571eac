import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { LOG_ENV } from '../functions/observability/logger.js';
import type { StageConfig } from './stage-config.js';

/** Repository root, resolved from this file so synthesis works from any working directory. */
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** esbuild emits ESM; a few CommonJS dependencies still call `require`, so define it. */
const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_22_X;

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
 * A tracker function: arm64 Node.js, 512 MB, its handler bundled by esbuild (no Docker) as
 * minified ESM with source maps and the AWS SDK inside, logging to its own log group kept for
 * the stage's retention period. HTTP routes and event functions are all made here.
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

  return new NodejsFunction(scope, id, {
    description: props.description,
    entry: fileURLToPath(new URL(`../functions/handlers/${props.handler}.ts`, import.meta.url)),
    handler: 'handler',
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
    runtime: FUNCTION_RUNTIME,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 512,
    timeout: props.timeout ?? Duration.seconds(10),
    logGroup,
    ...logging(config),
    environment: {
      ...props.environment,
      STAGE: config.stage,
      NODE_OPTIONS: '--enable-source-maps',
      [LOG_LEVEL_ENV]: config.logLevel,
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
