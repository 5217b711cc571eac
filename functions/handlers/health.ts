import { httpHandler } from '../http/middleware.js';
import { jsonResponse } from '../http/responses.js';

/** GET /health: the function runs; it deliberately does not touch the database. */
export const createHealthHandler = () =>
  httpHandler(async () => jsonResponse(200, { status: 'ok' }, { 'cache-control': 'no-store' }));

export const handler = createHealthHandler();
