import { ROUTES } from '../functions/http/routes.js';

/**
 * The handler module (functions/handlers/<name>.ts) of each function that no route declares:
 * the constructs in lib/events and lib/tracker-watchdog.ts create them from these names.
 */
export const EVENT_FUNCTION_HANDLERS = {
  publisher: 'stream-publisher',
  notifier: 'notifier',
  deliverer: 'deliverer',
  replayWorker: 'replay-worker',
  watchdog: 'watchdog',
} as const;

export interface DeployedFunction {
  /** The route id, or the event function's key above. */
  name: string;
  /** Module under functions/handlers/ (without `.ts`). */
  handler: string;
}

/** Every function the stack deploys: one per route, then the event functions and the watchdog. */
export const DEPLOYED_FUNCTIONS: readonly DeployedFunction[] = [
  ...ROUTES.map((route) => ({ name: route.id, handler: route.handler })),
  ...Object.entries(EVENT_FUNCTION_HANDLERS).map(([name, handler]) => ({ name, handler })),
];
