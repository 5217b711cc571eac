import { ValidationError } from '../domain/errors.js';
import { projectId as projectIdSchema } from '../schemas/projects.js';
import { pathParameter } from './path-parameter.js';
import type { HttpEvent } from './types.js';

/** The `{projectId}` path parameter, checked against the id pattern. */
export const projectIdFrom: (event: HttpEvent) => string = pathParameter('projectId', projectIdSchema);

/** The query string as one object; repeated keys arrive comma-joined and are refused by the schemas. */
export const queryFrom = (event: HttpEvent): Record<string, string> =>
  ({ ...(event.queryStringParameters ?? {}) }) as Record<string, string>;

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** 1 to 255 visible ASCII characters (after trimming); a UUID is ideal. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export const idempotencyKeyFrom = (event: HttpEvent): string => {
  const key = optionalIdempotencyKeyFrom(event);
  if (key === null) {
    throw new ValidationError(
      'Send an Idempotency-Key header (for example a UUID) so that a retry is not recorded twice.',
      [{ field: 'Idempotency-Key', message: 'header is required' }],
    );
  }
  return key;
};

/** The Idempotency-Key of a route where it is optional: null when absent, refused when malformed. */
export const optionalIdempotencyKeyFrom = (event: HttpEvent): string | null => {
  const key = event.headers[IDEMPOTENCY_KEY_HEADER]?.trim();
  if (!key) return null;
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new ValidationError('The Idempotency-Key header is not valid.', [
      { field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
    ]);
  }
  return key;
};
