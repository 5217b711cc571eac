import { ROUTES } from '../functions/http/routes.js';
import { memoryOf } from './function-memory.js';

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
  /** Its memory size in MB, from lib/function-memory.ts (which says why). */
  memoryMb: number;
}

const deployed = (name: string, handler: string): DeployedFunction => ({
  name,
  handler,
  memoryMb: memoryOf(name).megabytes,
});

/** Every function the stack deploys: one per route, then the event functions and the watchdog. */
export const DEPLOYED_FUNCTIONS: readonly DeployedFunction[] = [
  ...ROUTES.map((route) => deployed(route.id, route.handler)),
  ...Object.entries(EVENT_FUNCTION_HANDLERS).map(([name, handler]) => deployed(name, handler)),
];

/** The deployed function whose module is `handler` (each module is one function's). */
export const deployedFunction = (handler: string): DeployedFunction => {
  const found = DEPLOYED_FUNCTIONS.find((fn) => fn.handler === handler);
  if (found === undefined) throw new Error(`No deployed function runs functions/handlers/${handler}.ts`);
  return found;
};
