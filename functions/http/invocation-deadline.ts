import type { Context } from 'aws-lambda';
import { ServiceUnavailableError } from '../domain/errors.js';

/** How long before Lambda would end the invocation the caller is answered instead. */
export const ANSWER_BEFORE_TIMEOUT_MS = 5;

/**
 * Runs one invocation against its own deadline, taken from its own context, with its own abort
 * signal: just before the time runs out the signal aborts (the work starts nothing new) and the
 * invocation answers a retryable 503, so the caller gets a problem instead of a gateway error.
 *
 * Not middy's built-in timeout: that one aborts a single AbortController shared by the whole
 * process, harmless where Lambda runs one invocation at a time, but in the local runtime, where
 * every invocation shares the process, one invocation timing out aborted all the others.
 */
export const withinDeadline = async <T>(
  context: Context,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> => {
  const controller = new AbortController();
  // A context without a clock (a hand-made one) has no deadline, as with middy.
  if (typeof context.getRemainingTimeInMillis !== 'function') return work(controller.signal);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        const error = new ServiceUnavailableError(
          'The request took too long; retry with the same Idempotency-Key.',
          1,
        );
        controller.abort(error);
        reject(error);
      },
      Math.max(0, context.getRemainingTimeInMillis() - ANSWER_BEFORE_TIMEOUT_MS),
    );
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
};
