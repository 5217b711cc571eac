/**
 * Problem responses of the API description. Their examples are made by the real
 * `problemFromError`, so they are exactly what the handlers answer.
 */
import {
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  type TrackerError,
  UnauthenticatedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../domain/errors.js';
import { gatewayErrorSchema, problemSchema } from '../../schemas/responses/problems.js';
import { MAX_BODY_BYTES } from '../middleware.js';
import { internalProblem, PROBLEM_CONTENT_TYPE, problemFromError } from '../problem.js';
import type { ResponseHeaderName } from './headers.js';
import { type Example, JSON_MEDIA_TYPE, type ResponseSpec } from './types.js';

export const problemExample = (summary: string, error: TrackerError, instance: string): Example => ({
  summary,
  value: JSON.parse(problemFromError(error, instance).body) as unknown,
});

export const problemResponse = (
  description: string,
  examples: Record<string, Example>,
  headers?: readonly ResponseHeaderName[],
): ResponseSpec => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema, examples } },
  ...(headers ? { headers } : {}),
});

export const invalid = (message: string, issues: { field: string; message: string }[]) =>
  new ValidationError(message, issues);

/** The errors any route may produce, for a route whose example path is `instance`. */
export const errorsAt = (instance: string) => ({
  /** 401 from the handler or the local runtime (a problem), or from API Gateway's authorizer (its own body). */
  unauthenticated: (when: string): ResponseSpec => ({
    description: `\`unauthenticated\`: ${when}. In AWS, API Gateway's JWT authorizer answers a missing or invalid token itself with \`{"message":"Unauthorized"}\`; the handlers and the local runtime answer with a problem document.`,
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: problemSchema,
        examples: {
          missing: problemExample(
            'No token',
            new UnauthenticatedError('This request needs an Authorization: Bearer <token> header.'),
            instance,
          ),
          expired: problemExample(
            'An expired token (local runtime)',
            new UnauthenticatedError('The bearer token has expired; get a new one.'),
            instance,
          ),
        },
      },
      [JSON_MEDIA_TYPE]: {
        schema: gatewayErrorSchema,
        examples: {
          gateway: { summary: "API Gateway's JWT authorizer", value: { message: 'Unauthorized' } },
        },
      },
    },
    headers: ['WWW-Authenticate'],
  }),
  /** 403 for a token that names no role of this product, or several provinces. */
  forbiddenRole: {
    noRole: problemExample(
      'A token without a role of this product',
      new ForbiddenError('The token carries no role of this product (a province office or the coordinator).'),
      instance,
    ),
    twoProvinces: problemExample(
      'A token in two province groups',
      new ForbiddenError('The token names more than one province office; use one account per office.'),
      instance,
    ),
  },
  tooLarge: problemResponse(`\`payload-too-large\`: the body is over ${MAX_BODY_BYTES / 1024} KB.`, {
    tooLarge: problemExample(
      'A body over the limit',
      new PayloadTooLargeError(`The body is 20480 bytes; the limit is ${MAX_BODY_BYTES} bytes.`),
      instance,
    ),
  }),
  unsupported: problemResponse('`unsupported-media-type`: the body was not sent as `application/json`.', {
    notJson: problemExample(
      'A form body',
      new UnsupportedMediaTypeError(
        'Send the body as application/json, not application/x-www-form-urlencoded.',
      ),
      instance,
    ),
  }),
  malformedJson: problemExample(
    'A body that is not JSON',
    invalid('The body is not valid JSON.', [{ field: '(body)', message: 'must be valid JSON' }]),
    instance,
  ),
  unavailable: problemResponse(
    '`service-unavailable`: the database is throttling or unreachable, or the request ran out of time. Retry after `Retry-After` seconds.',
    {
      unavailable: problemExample(
        'The database is busy',
        new ServiceUnavailableError('The database is busy or unreachable; retry shortly.', 1),
        instance,
      ),
    },
    ['Retry-After'],
  ),
  internal: problemResponse(
    'Anything unexpected: a plain message with a reference to the logs (`type` is `about:blank`), never internals.',
    {
      internal: {
        summary: 'An unexpected failure',
        value: JSON.parse(internalProblem('c0a8012e-6f1d-4b9a-8e37-2d5f0c9b1a44', instance).body) as unknown,
      },
    },
  ),
});

export type RouteErrors = ReturnType<typeof errorsAt>;

export const READER_UNAUTHENTICATED =
  'a stage with `publicReads: false` requires a valid bearer token for reading';
export const CALLER_UNAUTHENTICATED = 'no bearer token, or one that is invalid or expired';

export const forbiddenRoleResponse = (errors: RouteErrors) =>
  problemResponse(
    '`forbidden`: the token carries no role of this product, or names more than one province office.',
    errors.forbiddenRole,
  );

export const unknownProject = (instance: string) =>
  problemResponse('`not-found`: there is no project with this id.', {
    unknownProject: problemExample(
      'An unknown project',
      new NotFoundError('There is no project rail-2025.'),
      instance.replace('rail-2024', 'rail-2025'),
    ),
  });
