/**
 * `PUT /_local/faults/event-bus` makes the local bus refuse every PutEvents, `DELETE` makes it
 * accept again: an EventBridge outage (or a wrong bus policy) on demand, so that a test or a drill
 * can watch the publisher retry and lose nothing. Local only: not in ROUTES, so never deployed.
 */
import { jsonResponse } from '../functions/http/responses.js';
import type { LocalEventBus } from './eventbridge/index.js';
import type { LocalRoute } from './server.js';

export const BUS_FAULT_ROUTE = '/_local/faults/event-bus';

export const busFaultRoutes = (bus: Pick<LocalEventBus, 'refusePutEvents'>): LocalRoute[] =>
  [true, false].map((refusing) => ({
    method: refusing ? 'PUT' : 'DELETE',
    path: BUS_FAULT_ROUTE,
    handle: async () => {
      bus.refusePutEvents(refusing);
      return jsonResponse(200, { refusingPutEvents: refusing });
    },
  }));
