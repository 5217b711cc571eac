import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { type DeadLetters, deadLetterQueuesIn } from '../dead-letter-queue.js';

/** A dead-letter queue with the short name its alarm, dashboard line and runbook row use. */
export interface WatchedDeadLetters extends DeadLetters {
  name: string;
}

export interface WatchedFunction {
  fn: lambda.Function;
  name: string;
}

/**
 * A construct's path below `root` without separators (`Events/StreamFailures` →
 * `EventsStreamFailures`): unique, stable, and readable in an alarm's name.
 */
const pathBelow = (root: IConstruct, child: IConstruct): string =>
  child.node.path.slice(root.node.path.length + 1).replaceAll('/', '');

/**
 * What the alarms and the dashboard watch, found in `root` (the stack) when called: a
 * dead-letter queue or function added to the stack later is watched without a line of monitoring
 * code, as long as the monitoring is made after it.
 */
export const watchedIn = (
  root: IConstruct,
): { deadLetters: WatchedDeadLetters[]; functions: WatchedFunction[] } => ({
  deadLetters: deadLetterQueuesIn(root).map((d) => ({ ...d, name: pathBelow(root, d.queue) })),
  functions: root.node
    .findAll()
    .filter((c): c is lambda.Function => c instanceof lambda.Function)
    .map((fn) => ({ fn, name: pathBelow(root, fn) })),
});
