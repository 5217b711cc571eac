import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { Context } from 'aws-lambda';
import {
  PayloadTooLargeError,
  TrackerError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../domain/errors.js';
import { CORRELATION_HEADER, chooseCorrelationId } from '../observability/correlation-id.js';
import { withMetrics } from '../observability/invocation-metrics.js';
import { type LogFields, type Logger, logger } from '../observability/logger.js';
import { lazy } from '../shared/lazy.js';
import { withinDeadline } from './invocation-deadline.js';
import { internalProblem, problemFromError } from './problem.js';
import type { HttpEvent, HttpResult } from './types.js';

/** Reports are small; anything larger is a mistake or an attack. */
export const MAX_BODY_BYTES = 16 * 1024;

export interface HttpRequestContext {
  event: HttpEvent;
  context: Context;
  /** Aborted when the invocation is about to time out: stop retrying, the caller has been answered. */
  signal: AbortSignal;
  /** The caller's sane `X-Correlation-Id`, or the API's request id: stored with what the request writes. */
  correlationId: string;
  /** Lines that carry the request's ids and route. */
  log: Logger;
  /** Adds fields known only inside the route (the reporting province) to the request's access line. */
  annotate: (fields: LogFields) => void;
}

export type HttpRoute = (request: HttpRequestContext) => Promise<HttpResult>;

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/** Size, media type and syntax of a JSON body, checked in that order; routes call it after authorisation. */
export const readJsonBody = (event: HttpEvent): unknown => {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.byteLength > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(
      `The body is ${bytes.byteLength} bytes; the limit is ${MAX_BODY_BYTES} bytes.`,
    );
  }
  const mediaType = (event.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    throw new UnsupportedMediaTypeError(
      `Send the body as application/json${mediaType ? `, not ${mediaType}` : ' (the Content-Type header is missing)'}.`,
    );
  }
  if (bytes.byteLength === 0) {
    throw new ValidationError('The request needs a JSON body.', [
      { field: '(body)', message: 'is required' },
    ]);
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ValidationError('The body is not valid JSON.', [
      { field: '(body)', message: 'must be valid JSON' },
    ]);
  }
};

/** What one request's lines share: its ids and route, and the fields its access line adds. */
interface RequestScope {
  correlationId: string;
  log: Logger;
  started: number;
  annotations: LogFields;
}

/** Read before the header normaliser runs: API Gateway lower-cases names, a test may not. */
const headerValue = (headers: HttpEvent['headers'] | undefined, name: string): string | undefined =>
  Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];

const scopes = new WeakMap<HttpEvent, RequestScope>();

/** The request's scope, made once per event: the handler, the error path and the access line share it. */
const scopeOf = (event: HttpEvent, context: Context): RequestScope => {
  let scope = scopes.get(event);
  if (scope === undefined) {
    const correlationId = chooseCorrelationId(
      headerValue(event.headers, CORRELATION_HEADER),
      event.requestContext?.requestId ?? context.awsRequestId,
    );
    scope = {
      correlationId,
      log: logger().child({
        requestId: context.awsRequestId,
        correlationId,
        route: event.routeKey,
        projectId: event.pathParameters?.projectId,
        subscriptionId: event.pathParameters?.subscriptionId,
      }),
      started: performance.now(),
      annotations: {},
    };
    scopes.set(event, scope);
  }
  return scope;
};

/**
 * Outermost: the correlation id is taken before anything can fail, answered in every response's
 * X-Correlation-Id header, and each request ends with one INFO line (status and milliseconds).
 */
const requestLogging = (): middy.MiddlewareObj<HttpEvent, HttpResult, Error, Context> => {
  const finish = async (request: middy.Request<HttpEvent, HttpResult, Error, Context>) => {
    const { event, context, response } = request;
    if (!response) return;
    const scope = scopeOf(event, context);
    response.headers = { ...response.headers, [CORRELATION_HEADER]: scope.correlationId };
    scope.log.info('request', {
      method: event.requestContext?.http?.method,
      status: response.statusCode,
      ms: Math.round(performance.now() - scope.started),
      ...scope.annotations,
    });
  };
  return {
    before: async (request) => {
      scopeOf(request.event, request.context);
    },
    after: finish,
    onError: finish,
  };
};

/**
 * Turns every failure into application/problem+json: known errors with their own message,
 * anything else as a bare 500 whose details go only to the log.
 */
const problemErrors = (): middy.MiddlewareObj<HttpEvent, HttpResult, Error, Context> => ({
  onError: async (request) => {
    const { error, event, context } = request;
    const { log } = scopeOf(event, context);
    const instance = event.rawPath;
    if (error instanceof TrackerError) {
      const response = problemFromError(error, instance);
      if (response.statusCode >= 500) {
        log.warn(error.message, { code: error.code, cause: String(error.cause) });
      }
      request.response = response;
      return;
    }
    log.error('unhandled error', {
      name: error?.name,
      error: error?.message,
      stack: error?.stack,
      path: instance,
    });
    request.response = internalProblem(context.awsRequestId, instance);
  },
});

/** Wraps a route in the middleware every HTTP handler shares. */
export const httpHandler = (route: HttpRoute) =>
  // middy's own timeout is off: its abort signal is shared by every invocation in the process
  // (see invocation-deadline.ts). Each invocation answers a retryable 503 just before its own
  // deadline instead; a report still in flight is safe to retry with its key.
  middy<HttpEvent, HttpResult, Error, Context>({ timeoutEarlyInMillis: 0 })
    .use(requestLogging())
    .use(httpHeaderNormalizer())
    .use(problemErrors())
    .handler(async (event, context) => {
      const { correlationId, log, annotations } = scopeOf(event, context);
      const annotate = (fields: LogFields) => Object.assign(annotations, fields);
      return withinDeadline(context, (signal) =>
        route({ event, context, signal, correlationId, log, annotate }),
      );
    });

/**
 * An HTTP handler built on its first invocation (see `lazy`), whose metrics are written when each
 * invocation ends (see `withMetrics`).
 */
export const lazyHandler = (
  build: () => (event: HttpEvent, context: Context) => Promise<HttpResult>,
): ((event: HttpEvent, context: Context) => Promise<HttpResult>) => withMetrics(lazy(build));
