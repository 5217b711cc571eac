import type { MetricsOutput } from '../functions/observability/invocation-metrics.js';

/** `LOCAL_METRICS=1 npm start` prints each invocation's metrics; without it they are dropped. */
export const LOCAL_METRICS_ENV = 'LOCAL_METRICS';

/**
 * One document as one short line: its dimensions and values, without the `_aws` directive that
 * makes an EMF line several hundred characters long, e.g.
 * `stage=local projectId=2024-01 ReportsRecorded=1`.
 */
export const compactMetricsLine = (document: Readonly<Record<string, unknown>>): string =>
  Object.entries(document)
    .filter(([key]) => key !== '_aws')
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(',') : String(value)}`)
    .join(' ');

/**
 * The local runtime runs every function in its own process, a burst of them at once: EMF lines
 * would bury the request and event lines. They are kept out of the terminal unless asked for, and
 * then printed compactly.
 */
export const localMetricsOutput = (
  env: Readonly<Record<string, string | undefined>>,
  log: (line: string) => void,
): MetricsOutput =>
  env[LOCAL_METRICS_ENV] === '1'
    ? (documents) => {
        for (const document of documents) log(`  [metrics] ${compactMetricsLine(document)}`);
      }
    : () => undefined;
