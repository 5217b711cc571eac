/** What the service routes answer: the liveness check and the API description itself. */
import * as z from 'zod/mini';

export const healthSchema = z.object({ status: z.literal('ok') }).check(
  z.meta({
    id: 'Health',
    description: 'The function runs (the database is not touched).',
  }),
);

export const openApiDocumentSchema = z
  .looseObject({
    openapi: z.string().check(z.regex(/^3\.1\.\d+$/)),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()),
  })
  .check(
    z.meta({
      id: 'OpenApiDocument',
      description: 'This API described in OpenAPI 3.1 (the document this schema is part of).',
    }),
  );
