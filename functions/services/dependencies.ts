import { invocationMetrics } from '../observability/invocation-metrics.js';
import type { Metrics } from '../observability/metrics.js';
import { createDocumentClient, tableNameFromEnv } from '../storage/client.js';
import type { DocumentClient } from '../storage/document-client.js';

/** What every handler needs from the outside world; tests and the local runtime pass their own. */
export interface Dependencies {
  db: DocumentClient;
  tableName: string;
  now: () => Date;
  /** Where services count what happened; none when left out (tests that do not look). */
  metrics?: Metrics;
}

let defaults: Dependencies | undefined;

/** One client per execution environment, reused across invocations (connections stay warm). */
export const defaultDependencies = (): Dependencies => {
  defaults ??= {
    db: createDocumentClient(),
    tableName: tableNameFromEnv(),
    now: () => new Date(),
    metrics: invocationMetrics,
  };
  return defaults;
};
