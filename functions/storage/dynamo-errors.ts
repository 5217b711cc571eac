import { ServiceUnavailableError } from '../domain/errors.js';

/** Failures that mean "the database cannot serve this right now": the caller may retry later. */
const UNAVAILABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);
const THROTTLING_REASONS = new Set([
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'RequestLimitExceeded',
]);

export const RETRY_AFTER_SECONDS = 1;

/**
 * Waits before asking again for the keys or items a batch call left unprocessed (DynamoDB does
 * that only when it throttles, so asking again at once would make it worse); gives up with a
 * 503 after a few rounds.
 */
export const backOffUnprocessed = async (round: number, maxRounds = 8): Promise<void> => {
  if (round >= maxRounds) {
    throw new ServiceUnavailableError('The database is throttling; retry shortly.', RETRY_AFTER_SECONDS);
  }
  await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(1000, 50 * 2 ** round)));
};

/** The per-item outcome of a cancelled transaction, in the order of the items sent. */
export const cancellationReasons = (error: unknown): string[] | null => {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return null;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((reason) => reason.Code ?? 'None');
};

/** A write refused by its condition: on its own, or as an item of a cancelled transaction. */
export const isConditionFailure = (error: unknown): boolean =>
  (error instanceof Error && error.name === 'ConditionalCheckFailedException') ||
  (cancellationReasons(error)?.includes('ConditionalCheckFailed') ?? false);

export const isUnavailable = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  if (UNAVAILABLE_NAMES.has(error.name)) return true;
  const code = (error as { code?: string }).code;
  if (code !== undefined && NETWORK_CODES.has(code)) return true;
  const reasons = cancellationReasons(error);
  if (reasons?.some((reason) => THROTTLING_REASONS.has(reason))) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
};

/**
 * Runs a database call and turns "unavailable" failures into ServiceUnavailableError (503 with
 * Retry-After); anything else is rethrown untouched and becomes a plain 500 at the edge.
 */
export const guardDatabase = async <T>(call: () => Promise<T>, what = 'The database'): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    if (isUnavailable(error)) {
      throw new ServiceUnavailableError(
        `${what} is busy or unreachable; retry shortly.`,
        RETRY_AFTER_SECONDS,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
};
