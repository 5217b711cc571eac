/**
 * `GET /_local/settle`: answers once the runtime has settled (LocalRuntime.settle), so that a
 * test in another process can wait for "everything written so far has been published, fanned
 * out and attempted" instead of sleeping. Local only: not in ROUTES, so never deployed.
 */
import { jsonResponse } from '../functions/http/responses.js';
import type { LocalRoute } from './server.js';

export const SETTLE_ROUTE = '/_local/settle';

export const settleRoute = (settle: () => Promise<void>): LocalRoute => ({
  method: 'GET',
  path: SETTLE_ROUTE,
  handle: async () => {
    await settle();
    return jsonResponse(200, { settled: true });
  },
});
