import {
  ConflictError,
  type FieldIssue,
  ForbiddenError,
  NotAcceptableError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  type TrackerError,
  UnauthenticatedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../domain/errors.js';
import type { HttpResult } from './types.js';

/** An RFC 9457 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** For validation problems: every offending field. */
  errors?: FieldIssue[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'urn:livelihood-tracker:problem:';

/** The one mapping from the error tree to HTTP status codes. */
export const statusOf = (error: TrackerError): number => {
  if (error instanceof ValidationError) return 400;
  if (error instanceof UnauthenticatedError) return 401;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof NotAcceptableError) return 406;
  if (error instanceof ConflictError) return 409;
  if (error instanceof PayloadTooLargeError) return 413;
  if (error instanceof UnsupportedMediaTypeError) return 415;
  if (error instanceof ServiceUnavailableError) return 503;
  return 500;
};

export const problemResponse = (problem: Problem, headers: Record<string, string> = {}): HttpResult => ({
  statusCode: problem.status,
  headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(problem),
});

/** A known error: its message was written for the caller and is safe to show. */
export const problemFromError = (error: TrackerError, instance?: string): HttpResult => {
  const status = statusOf(error);
  const problem: Problem = {
    type: `${PROBLEM_TYPE_BASE}${error.code}`,
    title: error.title,
    status,
    detail: error.message,
    ...(instance === undefined ? {} : { instance }),
    ...(error instanceof ValidationError && error.issues.length > 0 ? { errors: error.issues } : {}),
  };
  const headers: Record<string, string> = {};
  if (error instanceof ServiceUnavailableError) headers['retry-after'] = String(error.retryAfterSeconds);
  if (error instanceof ConflictError && error.code === 'concurrent-modification')
    headers['retry-after'] = '1';
  if (error instanceof UnauthenticatedError) headers['www-authenticate'] = 'Bearer';
  return problemResponse(problem, headers);
};

/** Anything unexpected: nothing of its message or stack reaches the caller, only a reference to the logs. */
export const internalProblem = (requestId: string | undefined, instance?: string): HttpResult =>
  problemResponse({
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail: `An unexpected error occurred.${requestId ? ` Reference: ${requestId}.` : ''}`,
    ...(instance === undefined ? {} : { instance }),
  });
