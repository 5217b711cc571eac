/**
 * One error tree for the whole product. Domain code throws these; the HTTP edge maps each
 * to a status and an application/problem+json body in one place (functions/http/problem.ts).
 */
export interface FieldIssue {
  /** JSON-pointer-like path of the offending field, e.g. `value` or `provinceTargets.jiangsu`. */
  field: string;
  message: string;
}

export abstract class TrackerError extends Error {
  /** Stable, machine-readable code; also the last segment of the problem `type` URI. */
  abstract readonly code: string;
  /** Short, human-readable summary that does not change between occurrences. */
  abstract readonly title: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends TrackerError {
  readonly code = 'validation-failed';
  readonly title = 'The request is not valid';
  constructor(
    message: string,
    readonly issues: FieldIssue[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export class UnauthenticatedError extends TrackerError {
  readonly code = 'unauthenticated';
  readonly title = 'A valid bearer token is required';
}

export class ForbiddenError extends TrackerError {
  readonly code = 'forbidden';
  readonly title = 'This caller may not do that';
}

export class NotFoundError extends TrackerError {
  readonly code = 'not-found';
  readonly title = 'Not found';
}

export class ConflictError extends TrackerError {
  readonly title: string;
  constructor(
    readonly code:
      | 'decrease-without-correction-reason'
      | 'backfill-exceeds-current-value'
      | 'idempotency-key-reused'
      | 'concurrent-modification'
      | 'project-year-immutable'
      | 'project-exists'
      | 'subscription-limit-reached'
      | 'deliverable-already-done'
      | 'deliverable-not-done',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.title = CONFLICT_TITLES[code];
  }
}

const CONFLICT_TITLES: Record<ConflictError['code'], string> = {
  'decrease-without-correction-reason': 'A lower cumulative value needs a correction reason',
  'backfill-exceeds-current-value': 'A report for an earlier date cannot exceed the current value',
  'idempotency-key-reused': 'This Idempotency-Key was already used for a different request',
  'concurrent-modification': 'The record was changed by another request; retry',
  'project-year-immutable': "A project's year cannot change",
  'project-exists': 'The project already exists',
  'subscription-limit-reached': 'The office already has as many subscriptions as it may',
  'deliverable-already-done': 'The deliverable is already done; changing it needs a correction reason',
  'deliverable-not-done': 'The deliverable is not done; there is nothing to undo',
};

export class PayloadTooLargeError extends TrackerError {
  readonly code = 'payload-too-large';
  readonly title = 'The request body is too large';
}

export class UnsupportedMediaTypeError extends TrackerError {
  readonly code = 'unsupported-media-type';
  readonly title = 'The request body must be JSON';
}

export class NotAcceptableError extends TrackerError {
  readonly code = 'not-acceptable';
  readonly title = 'No representation matches the Accept header';
}

/** The database is throttling, unreachable or kept conflicting: the caller should retry later. */
export class ServiceUnavailableError extends TrackerError {
  readonly code = 'service-unavailable';
  readonly title = 'The service is temporarily unavailable';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
