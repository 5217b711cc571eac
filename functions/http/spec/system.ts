/** The service routes of the API description: the dashboard page, this document, the liveness check. */
import * as z from 'zod/mini';
import { healthSchema, openApiDocumentSchema } from '../../schemas/responses/system.js';
import { errorsAt } from './problems.js';
import { HTML_MEDIA_TYPE, JSON_MEDIA_TYPE, type RouteSchema } from './types.js';

const service = errorsAt('/health');

export const SYSTEM_ROUTES: Readonly<Record<string, RouteSchema>> = {
  getDashboard: {
    tag: 'Service',
    description:
      'The progress dashboard: an HTML page that reads this API like any other client (`GET /projects`).',
    responses: {
      200: {
        description: 'The page.',
        content: { [HTML_MEDIA_TYPE]: { schema: z.string() } },
      },
      500: service.internal,
    },
  },

  getOpenApi: {
    tag: 'Service',
    description:
      'This document, generated from the same zod schemas the handlers validate with (also committed as `openapi.json`).',
    headers: [
      {
        name: 'If-None-Match',
        required: false,
        description: 'The `ETag` of a copy the client holds: `304` while the document is unchanged.',
        schema: z.string(),
        example: '"k3Xn0eV1tq1A4kW5sQ2w9g"',
      },
    ],
    responses: {
      200: {
        description: 'The OpenAPI 3.1 document.',
        content: { [JSON_MEDIA_TYPE]: { schema: openApiDocumentSchema } },
        headers: ['ETag', 'Cache-Control'],
      },
      304: {
        description: 'The copy named by `If-None-Match` is current.',
        headers: ['ETag', 'Cache-Control'],
      },
      500: service.internal,
    },
  },

  getHealth: {
    tag: 'Service',
    description: 'Liveness: the function runs. It deliberately does not touch the database.',
    responses: {
      200: { description: 'Alive.', content: { [JSON_MEDIA_TYPE]: { schema: healthSchema } } },
      500: service.internal,
    },
  },
};
