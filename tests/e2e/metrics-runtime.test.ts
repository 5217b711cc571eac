/**
 * Every deployed handler's metrics, as `LOCAL_METRICS=1 npm start` prints them: one short line
 * per invocation and dimension set, never the EMF document itself (see local/metrics-output.ts).
 * This is the wiring the unit tests cannot see: each handler records through the invocation's
 * metrics, and each invocation writes them when it ends.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WATCHDOG_ROUTE } from '../../local/watchdog-timer.js';
import { settle } from '../support/runtime-process.js';
import { runtimeSession } from '../support/runtime-session.js';

const session = runtimeSession('metrics', { LOCAL_METRICS: '1', WATCHDOG_INTERVAL_SECONDS: '0' });
const { sink, subscribe, report, waitFor } = session;
const runtime = () => {
  const current = session.runtime();
  if (!current) throw new Error('the local runtime is not running');
  return current;
};
const metricLines = () =>
  runtime()
    .output()
    .split('\n')
    .filter((line) => line.includes('[metrics]'));

describe('metrics on the local runtime', () => {
  it('prints what the report, its replay, its event, its webhook and a watchdog run counted', async () => {
    const target = await sink();
    await subscribe('jiangsu', target.url, ['ev-charging-2024']);
    const key = randomUUID();

    const first = await report('ev-charging-2024', 'jiangsu', { value: 100, asOf: '2024-06-30' }, key);
    const again = await report('ev-charging-2024', 'jiangsu', { value: 100, asOf: '2024-06-30' }, key);
    expect([first.status, again.status]).toEqual([201, 201]);
    await waitFor(() => target.received[0], 60_000, 'the webhook');
    expect((await fetch(`${runtime().url}${WATCHDOG_ROUTE}`, { method: 'POST' })).status).toBe(200);
    await settle(runtime());

    const lines = metricLines();
    expect(lines).toEqual(
      expect.arrayContaining([
        '  [metrics] stage=local projectId=ev-charging-2024 ReportsRecorded=1',
        '  [metrics] stage=local IdempotentReplays=1',
        expect.stringMatching(/^ {2}\[metrics\] stage=local EventsPublished=\d+/),
        expect.stringMatching(/^ {2}\[metrics\] stage=local DeliveriesSucceeded=1 DeliveryLatency=\d+$/),
        expect.stringMatching(/^ {2}\[metrics\] stage=local WatchdogNotices=\d+ WatchdogRuns=1$/),
      ]),
    );
    expect(runtime().output()).not.toContain('"_aws"');
  }, 120_000);
});
