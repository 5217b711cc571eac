import * as z from 'zod/mini';
import type { HeaderSpec } from './types.js';

/** Response headers, shared as components of the document. */
export const RESPONSE_HEADERS = {
  'Retry-After': {
    description:
      'Seconds to wait before retrying. A report is retried with the same Idempotency-Key: it is recorded at most once.',
    schema: z.number().check(z.int(), z.gte(0), z.meta({ example: 1 })),
  },
  'WWW-Authenticate': {
    description: 'The authentication scheme this API expects.',
    schema: z.string().check(z.meta({ example: 'Bearer' })),
  },
  'Idempotent-Replayed': {
    description:
      'Present (`true`) when this is the stored response of an earlier request with the same Idempotency-Key and body: nothing was written this time.',
    schema: z.literal('true'),
  },
  Location: {
    description: 'The path of the resource created.',
    schema: z.string().check(z.meta({ example: '/subscriptions/0b6c1f1e-2f0e-4d55-9a55-3f7b2c1d9e01' })),
  },
  Link: {
    description:
      'The next page, when there is one: `<path?…&cursor=…>; rel="next"` (RFC 8288). Absent on the last page.',
    schema: z
      .string()
      .check(z.meta({ example: '</projects/rail-2024/milestones?limit=2&cursor=eyJQSyI6…>; rel="next"' })),
  },
  'Content-Disposition': {
    description: 'CSV only: a download named after the project.',
    schema: z.string().check(z.meta({ example: 'attachment; filename="rail-2024-milestones.csv"' })),
  },
  ETag: {
    description:
      'The version of this document; send it back in `If-None-Match` to get `304` while it is unchanged.',
    schema: z.string().check(z.meta({ example: '"k3Xn0eV1tq1A4kW5sQ2w9g"' })),
  },
  'X-Correlation-Id': {
    description:
      "The request's correlation id: the caller's own `X-Correlation-Id` when it was a sane token, otherwise the API's request id. A report stores it, and its events, their deliveries and every log line on the way carry it (README: Following one report). Every answer of the API's functions has it; answers of the gateway itself (a missing token, a body over its limit) do not.",
    schema: z.string().check(z.meta({ example: 'a1B2c3D4e5F6g7H=' })),
  },
  'Cache-Control': {
    description: 'How long the response may be reused.',
    schema: z.string().check(z.meta({ example: 'public, max-age=300' })),
  },
} as const satisfies Record<string, HeaderSpec>;
export type ResponseHeaderName = keyof typeof RESPONSE_HEADERS;
