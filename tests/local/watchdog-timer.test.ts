import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ROUTES } from '../../functions/http/routes.js';
import { createLocalServer, type LocalServer } from '../../local/server.js';
import {
  dailyTimeOf,
  nextDailyRun,
  startWatchdogTimer,
  WATCHDOG_ROUTE,
  type WatchdogTimer,
} from '../../local/watchdog-timer.js';

/** An instant given as a wall-clock time in China (UTC+8). */
const china = (dateTime: string) => new Date(`${dateTime}+08:00`);

describe('the next 09:00 in China', () => {
  it('reads 09:00 Asia/Shanghai (UTC+8) from the schedule CDK deploys', () => {
    expect(dailyTimeOf()).toEqual({ hour: 9, minute: 0, utcOffsetMs: 8 * 60 * 60 * 1000 });
  });

  it('refuses schedules it cannot follow rather than running at the wrong time', () => {
    expect(() => dailyTimeOf({ expression: 'rate(1 day)', timeZone: 'Asia/Shanghai' })).toThrow(/daily cron/);
    expect(() => dailyTimeOf({ expression: 'cron(0 9 ? * MON *)', timeZone: 'Asia/Shanghai' })).toThrow();
    expect(() => dailyTimeOf({ expression: 'cron(0 9 * * ? *)', timeZone: 'Europe/London' })).toThrow();
    expect(() => dailyTimeOf({ expression: 'cron(0 25 * * ? *)', timeZone: 'Asia/Shanghai' })).toThrow();
  });

  it('is today at 09:00 before it, and tomorrow at 09:00 from 09:00 on', () => {
    expect(nextDailyRun(china('2024-06-30T08:59:59'))).toEqual(china('2024-06-30T09:00'));
    expect(nextDailyRun(china('2024-06-30T09:00'))).toEqual(china('2024-07-01T09:00'));
    expect(nextDailyRun(china('2024-06-30T23:59'))).toEqual(china('2024-07-01T09:00'));
    expect(china('2024-06-30T09:00').toISOString()).toBe('2024-06-30T01:00:00.000Z');
  });

  it('follows the China date, not the UTC one, across midnight and the new year', () => {
    // 20:00 UTC on 30 June is 04:00 on 1 July in China: the next run is that morning.
    expect(nextDailyRun(new Date('2024-06-30T20:00:00.000Z'))).toEqual(new Date('2024-07-01T01:00:00.000Z'));
    expect(nextDailyRun(new Date('2024-12-31T17:00:00.000Z'))).toEqual(new Date('2025-01-01T01:00:00.000Z'));
    expect(nextDailyRun(new Date('2024-02-28T02:00:00.000Z'))).toEqual(new Date('2024-02-29T01:00:00.000Z'));
  });
});

describe('the local watchdog timer', () => {
  let timer: WatchdogTimer | undefined;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(async () => {
    await timer?.stop();
    timer = undefined;
    vi.useRealTimers();
  });

  it('runs daily at 09:00 China time by default, once per day', async () => {
    vi.setSystemTime(china('2024-06-30T08:59:00'));
    const run = vi.fn(async () => undefined);
    timer = startWatchdogTimer({ intervalSeconds: undefined, run });
    expect(timer.nextRun()).toEqual(china('2024-06-30T09:00'));

    await vi.advanceTimersByTimeAsync(59_999);
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(1);
    expect(timer.nextRun()).toEqual(china('2024-07-01T09:00'));

    await vi.advanceTimersByTimeAsync(2 * 24 * 60 * 60 * 1000);
    expect(run).toHaveBeenCalledTimes(3);
    expect(timer.nextRun()).toEqual(china('2024-07-03T09:00'));
  });

  it('runs every N seconds when asked, never overlapping a slow run', async () => {
    let finish: () => void = () => undefined;
    const run = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    timer = startWatchdogTimer({ intervalSeconds: 2, run });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(run).toHaveBeenCalledTimes(1);
    // The run takes 10 s: no second run meanwhile, then the next one 2 s after it ends.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run).toHaveBeenCalledTimes(1);
    finish();
    await vi.advanceTimersByTimeAsync(1_999);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(2);
    finish();
  });

  it('keeps to its schedule after a failed run, and says why it failed', async () => {
    const lines: string[] = [];
    const run = vi.fn(async () => {
      throw new Error('database unreachable');
    });
    timer = startWatchdogTimer({ intervalSeconds: 5, run, log: (line) => lines.push(line) });
    await vi.advanceTimersByTimeAsync(15_000);
    expect(run).toHaveBeenCalledTimes(3);
    expect(lines).toEqual(Array(3).fill('run failed: database unreachable'));
  });

  it('does not run by itself when the interval is 0, and refuses intervals a timer cannot hold', async () => {
    const run = vi.fn(async () => undefined);
    timer = startWatchdogTimer({ intervalSeconds: 0, run });
    expect(timer.nextRun()).toBeNull();
    await vi.advanceTimersByTimeAsync(3 * 24 * 60 * 60 * 1000);
    expect(run).not.toHaveBeenCalled();
    for (const bad of [-1, 1.5, 3_000_000]) {
      expect(() => startWatchdogTimer({ intervalSeconds: bad, run })).toThrow(/whole number of seconds/);
    }
  });

  it('stops: waits for the run under way and starts no other', async () => {
    let finish: () => void = () => undefined;
    let finished = false;
    const run = vi.fn(
      () =>
        new Promise<void>((resolve) => {
          finish = () => {
            finished = true;
            resolve();
          };
        }),
    );
    timer = startWatchdogTimer({ intervalSeconds: 1, run });
    await vi.advanceTimersByTimeAsync(1_000);
    const stopped = timer.stop();
    expect(timer.nextRun()).toBeNull();
    finish();
    await stopped;
    expect(finished).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run).toHaveBeenCalledTimes(1);
  });
});

describe('the local watchdog route', () => {
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('is served by the local server only, never declared in ROUTES (so never deployed)', async () => {
    expect(ROUTES.some((r) => r.path.startsWith('/_local/'))).toBe(false);
    let runs = 0;
    server = await createLocalServer({
      verify: async () => {
        throw new Error('no tokens here');
      },
      quiet: true,
      localRoutes: [
        {
          method: 'POST',
          path: WATCHDOG_ROUTE,
          handle: async () => {
            runs += 1;
            return {
              statusCode: 200,
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ projectsChecked: 5, noticesWritten: 2 }),
            };
          },
        },
      ],
    });
    const posted = await fetch(`${server.url}${WATCHDOG_ROUTE}`, { method: 'POST', body: 'ignored' });
    expect(posted.status).toBe(200);
    expect(await posted.json()).toEqual({ projectsChecked: 5, noticesWritten: 2 });

    const got = await fetch(`${server.url}${WATCHDOG_ROUTE}`);
    expect(got.status).toBe(405);
    expect(got.headers.get('allow')).toBe('POST');
    expect((await fetch(`${server.url}/_local/other`, { method: 'POST' })).status).toBe(404);
    expect(runs).toBe(1);
  });

  it('answers a failed run with a 500 problem that does not leak the error', async () => {
    server = await createLocalServer({
      verify: async () => ({}),
      quiet: true,
      localRoutes: [
        {
          method: 'POST',
          path: WATCHDOG_ROUTE,
          handle: async () => {
            throw new Error('db password is hunter2');
          },
        },
      ],
    });
    const response = await fetch(`${server.url}${WATCHDOG_ROUTE}`, { method: 'POST' });
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await response.text()).not.toContain('hunter2');
  });
});
