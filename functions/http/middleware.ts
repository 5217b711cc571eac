import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { Context } from 'aws-lambda';
import {
  PayloadTooLargeError,
  TrackerError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../domain/errors.js';
import { withMetrics } from '../observability/invocation-metrics.js';
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

const log = (level: 'warn' | 'error', message: string, fields: Record<string, unknown>) => {
  const line = JSON.stringify({ level, message, ...fields });
  if (level === 'error') console.error(line);
  else console.warn(line);
};

/**
 * Turns every failure into application/problem+json: known errors with their own message,
 * anything else as a bare 500 whose details go only to the log.
 */
const problemErrors = (): middy.MiddlewareObj<HttpEvent, HttpResult, Error, Context> => ({
  onError: async (request) => {
    const { error, event, context } = request;
    const instance = event.rawPath;
    if (error instanceof TrackerError) {
      const response = problemFromError(error, instance);
      if (response.statusCode >= 500) {
        log('warn', error.message, {
          code: error.code,
          cause: String(error.cause),
          requestId: context.awsRequestId,
        });
      }
      request.response = response;
      return;
    }
    log('error', 'unhandled error', {
      name: error?.name,
      error: error?.message,
      stack: error?.stack,
      requestId: context.awsRequestId,
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
    .use(httpHeaderNormalizer())
    .use(problemErrors())
    .handler(async (event, context) =>
      withinDeadline(context, (signal) => route({ event, context, signal })),
    );

/**
 * An HTTP handler built on its first invocation (see `lazy`), whose metrics are written when each
 * invocation ends (see `withMetrics`).
 */
export const lazyHandler = (
  build: () => (event: HttpEvent, context: Context) => Promise<HttpResult>,
): ((event: HttpEvent, context: Context) => Promise<HttpResult>) => withMetrics(lazy(build));
