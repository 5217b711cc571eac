/**
 * The correlation id follows a report from its POST to every webhook attempt it caused: the
 * milestone stores it, its events carry it, the delivery log and every log line on the way show
 * it. It is the API's request id, or the caller's own `X-Correlation-Id` when that is a sane
 * token (a caller's id that could break a log line or a Logs Insights query is ignored).
 */

/** The header a caller may send and every HTTP answer carries (lower case, as API Gateway passes it). */
export const CORRELATION_HEADER = 'x-correlation-id';

/** The characters of a sane id; at most 128 of them. */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]+$/;
const MAX_LENGTH = 128;

/** Whether a caller's correlation id is taken: at most 128 characters of [A-Za-z0-9._:-]. */
export const isSaneCorrelationId = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= MAX_LENGTH && CORRELATION_ID_PATTERN.test(value);

/** The caller's id if it is sane, otherwise the request's own id. */
export const chooseCorrelationId = (offered: string | undefined, requestId: string): string =>
  isSaneCorrelationId(offered) ? offered : requestId;
