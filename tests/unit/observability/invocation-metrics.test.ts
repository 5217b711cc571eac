/**
 * When and how an invocation's metrics leave the function: once, at its end (also when it fails),
 * as top-level JSON lines on stdout, each invocation with its own, even when several run at once.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { httpHandler, lazyHandler } from '../../../functions/http/middleware.js';
import { jsonResponse } from '../../../functions/http/responses.js';
import {
  invocationMetrics,
  type MetricsOutput,
  stdoutOutput,
  withMetrics,
  writeMetricsTo,
} from '../../../functions/observability/invocation-metrics.js';
import { METRIC } from '../../../functions/observability/metric-names.js';
import { httpEvent, lambdaContext } from '../../support/fixtures.js';

let written: Record<string, unknown>[][];
let previous: MetricsOutput;
beforeEach(() => {
  written = [];
  previous = writeMetricsTo((documents) => {
    written.push([...documents]);
  });
  vi.stubEnv('STAGE', 'prod');
});
afterEach(() => {
  writeMetricsTo(previous);
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** Lets other work run: what a handler awaiting the database does. */
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

describe('withMetrics', () => {
  it('writes nothing while the invocation runs, then its metrics once, at its end, under STAGE', async () => {
    const handler = withMetrics(async (value: number) => {
      invocationMetrics.add(METRIC.reportsRecorded, 1, { projectId: 'rail-2024' });
      await tick();
      expect(written).toEqual([]);
      invocationMetrics.add(METRIC.corrections);
      return value * 2;
    });

    expect(await handler(21)).toBe(42);

    expect(written).toHaveLength(1);
    expect(written[0]).toEqual([
      expect.objectContaining({ stage: 'prod', projectId: 'rail-2024', ReportsRecorded: 1 }),
      expect.objectContaining({ stage: 'prod', Corrections: 1 }),
    ]);
  });

  it('writes what the invocation recorded also when it fails, and lets its error through', async () => {
    const handler = withMetrics(async () => {
      invocationMetrics.add(METRIC.watchdogNotices, 3);
      throw new Error('the table is unreachable');
    });

    await expect(handler()).rejects.toThrow('the table is unreachable');

    expect(written).toEqual([[expect.objectContaining({ WatchdogNotices: 3 })]]);
  });

  it('writes nothing for an invocation that recorded nothing', async () => {
    await withMetrics(async () => 'ok')();
    expect(written).toEqual([]);
  });

  it('keeps invocations that run at once apart: each writes its own metrics only', async () => {
    const deliver = withMetrics(async (succeeded: number) => {
      for (let i = 0; i < succeeded; i++) {
        invocationMetrics.add(METRIC.deliveriesSucceeded);
        await tick();
      }
    });

    await Promise.all([deliver(3), deliver(1)]);

    expect(written.map((documents) => documents.map((d) => d.DeliveriesSucceeded))).toEqual([[1], [3]]);
  });

  it('never fails the invocation when the metrics cannot be written', async () => {
    writeMetricsTo(() => {
      throw new Error('stdout closed');
    });
    const handler = withMetrics(async () => {
      invocationMetrics.add(METRIC.eventsPublished);
      return 'done';
    });
    expect(await handler()).toBe('done');
  });

  it('writes a value recorded outside any invocation at once', () => {
    invocationMetrics.add(METRIC.publishFailures, 2);
    expect(written).toEqual([[expect.objectContaining({ stage: 'prod', PublishFailures: 2 })]]);
  });

  it('takes `local` as the stage where STAGE is not set', async () => {
    vi.stubEnv('STAGE', '');
    await withMetrics(async () => invocationMetrics.add(METRIC.watchdogRuns))();
    expect(written[0]?.[0]).toMatchObject({ stage: 'local', WatchdogRuns: 1 });
  });
});

describe('the deployed HTTP handlers (lazyHandler)', () => {
  it("write their invocation's metrics when it ends, the failed ones too", async () => {
    const handler = lazyHandler(() =>
      httpHandler(async ({ event }) => {
        invocationMetrics.add(METRIC.idempotentReplays);
        invocationMetrics.add(METRIC.concurrencyRetries);
        if (event.rawPath === '/fail') throw new Error('unexpected');
        return jsonResponse(200, {});
      }),
    );
    vi.spyOn(console, 'error').mockImplementation(() => undefined);

    expect((await handler(httpEvent({ path: '/ok' }), lambdaContext())).statusCode).toBe(200);
    expect((await handler(httpEvent({ path: '/fail' }), lambdaContext())).statusCode).toBe(500);

    // One write per invocation, with everything it recorded in one document.
    expect(written).toEqual([
      [expect.objectContaining({ IdempotentReplays: 1, ConcurrencyRetries: 1 })],
      [expect.objectContaining({ IdempotentReplays: 1, ConcurrencyRetries: 1 })],
    ]);
  });
});

describe('stdoutOutput', () => {
  it('writes each document as one top-level JSON line with process.stdout.write, never console.log', () => {
    // Under Lambda's JSON log format console.log's text would land in a `message` field, where
    // CloudWatch extracts no metric: the document must be the whole line.
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const log = vi.spyOn(console, 'log');
    const documents = [
      { _aws: { Timestamp: 1, CloudWatchMetrics: [] }, stage: 'prod', A: 1 },
      { _aws: { Timestamp: 1, CloudWatchMetrics: [] }, stage: 'prod', B: 2 },
    ];

    stdoutOutput(documents);

    expect(log).not.toHaveBeenCalled();
    expect(write).toHaveBeenCalledTimes(1);
    const text = String(write.mock.calls[0]?.[0]);
    expect(text.endsWith('\n')).toBe(true);
    expect(
      text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual(documents);
  });
});
