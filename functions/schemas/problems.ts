/**
 * RFC 9457 problem documents, as every error the API itself answers is written, and API
 * Gateway's own error body. Component examples: examples.ts.
 */
import { z } from 'zod';

export const fieldIssueSchema = z
  .object({
    field: z.string().meta({
      description: 'Path of the offending field (`value`, `provinceTargets.jiangsu`), a header, or `(body)`',
    }),
    message: z.string(),
  })
  .meta({ id: 'FieldIssue' });

export const problemSchema = z
  .object({
    type: z.string().meta({
      format: 'uri',
      description:
        '`urn:livelihood-tracker:problem:<code>` for every known error; `about:blank` for an unexpected one (500)',
    }),
    title: z.string().meta({ description: 'Short and the same for every occurrence of the type' }),
    status: z.number().int().min(400).max(599).meta({ description: 'The HTTP status code' }),
    detail: z.string().optional().meta({ description: 'This occurrence, written for the caller' }),
    instance: z.string().optional().meta({ description: 'The request path' }),
    errors: z
      .array(fieldIssueSchema)
      .optional()
      .meta({ description: 'Validation problems: every offending field' }),
  })
  .meta({ id: 'Problem', description: 'An RFC 9457 problem document (`application/problem+json`).' });

export const gatewayErrorSchema = z.object({ message: z.string() }).meta({
  id: 'GatewayError',
  description: "API Gateway's own answer, e.g. its JWT authorizer refusing a missing or invalid token.",
});
