import { httpHandler } from '../http/middleware.js';
import { jsonResponse } from '../http/responses.js';

/** GET /openapi.json (placeholder until the document is generated). */
export const handler = httpHandler(async () => jsonResponse(200, { openapi: '3.1.0' }));
