/**
 * RFC 9457 problem documents, as every error the API itself answers is written, and API
 * Gateway's own error body. Component examples: examples.ts.
 */
import * as z from 'zod/mini';

export const fieldIssueSchema = z
  .object({
    field: z
      .string()
      .check(
        z.describe('Path of the offending field (`value`, `provinceTargets.jiangsu`), a header, or `(body)`'),
      ),
    message: z.string(),
  })
  .check(z.meta({ id: 'FieldIssue' }));

export const problemSchema = z
  .object({
    type: z.string().check(
      z.meta({
        format: 'uri',
        description:
          '`urn:livelihood-tracker:problem:<code>` for every known error; `about:blank` for an unexpected one (500)',
      }),
    ),
    title: z.string().check(z.describe('Short and the same for every occurrence of the type')),
    status: z.number().check(z.int(), z.gte(400), z.lte(599), z.describe('The HTTP status code')),
    detail: z.optional(z.string()).check(z.describe('This occurrence, written for the caller')),
    instance: z.optional(z.string()).check(z.describe('The request path')),
    errors: z
      .optional(z.array(fieldIssueSchema))
      .check(z.describe('Validation problems: every offending field')),
  })
  .check(
    z.meta({ id: 'Problem', description: 'An RFC 9457 problem document (`application/problem+json`).' }),
  );

export const gatewayErrorSchema = z.object({ message: z.string() }).check(
  z.meta({
    id: 'GatewayError',
    description: "API Gateway's own answer, e.g. its JWT authorizer refusing a missing or invalid token.",
  }),
);
