/**
 * The Lambda context the local gateway hands each handler: what one execution environment keeps
 * from one invocation to the next (its names, its log stream), made once per function, and what
 * each invocation gets anew (its request id, its deadline).
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { RouteDefinition } from '../functions/http/routes.js';
import { randomHex } from './shared/random-hex.js';

/**
 * What stays the same from one invocation of a function to the next, as in one Lambda execution
 * environment: its names and its log stream. Made once per route, not on every request.
 */
export type LambdaEnvironment = Pick<
  Context,
  | 'functionName'
  | 'functionVersion'
  | 'invokedFunctionArn'
  | 'memoryLimitInMB'
  | 'logGroupName'
  | 'logStreamName'
>;

export const lambdaEnvironment = (route: RouteDefinition): LambdaEnvironment => {
  const functionName = `livelihood-tracker-local-${route.handler}`;
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomHex(16)}`,
  };
};

const unsupported = () => {
  throw new Error('The callback-style context methods are not supported; return a promise.');
};

export const lambdaContext = (environment: LambdaEnvironment, timeoutMs: number): Context => {
  const deadline = Date.now() + timeoutMs;
  // Each field named rather than spread: one object shape for every request's context.
  return {
    functionName: environment.functionName,
    functionVersion: environment.functionVersion,
    invokedFunctionArn: environment.invokedFunctionArn,
    memoryLimitInMB: environment.memoryLimitInMB,
    logGroupName: environment.logGroupName,
    logStreamName: environment.logStreamName,
    callbackWaitsForEmptyEventLoop: true,
    awsRequestId: randomUUID(),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
};

/** One environment per route, made on its first request: `environmentOf(route)`. */
export const lambdaEnvironments = (): ((route: RouteDefinition) => LambdaEnvironment) => {
  const environments = new Map<string, LambdaEnvironment>();
  return (route) => {
    let environment = environments.get(route.id);
    if (!environment) {
      environment = lambdaEnvironment(route);
      environments.set(route.id, environment);
    }
    return environment;
  };
};
