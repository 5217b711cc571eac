/**
 * The local stand-in for the watchdog's EventBridge Scheduler schedule: a timer to the next
 * 09:00 in China (read from WATCHDOG_SCHEDULE, the expression CDK deploys), or, with
 * WATCHDOG_INTERVAL_SECONDS, every N seconds; 0 turns the timer off (runs by hand only).
 */
import { WATCHDOG_SCHEDULE } from '../functions/events/plumbing.js';

/** Runs the watchdog now and answers its summary; local only (not in ROUTES, so not in AWS). */
export const WATCHDOG_ROUTE = '/_local/watchdog';

/** Asia/Shanghai is UTC+8 all year: China has no daylight saving time. */
const UTC_OFFSETS_MS: Readonly<Record<string, number>> = { 'Asia/Shanghai': 8 * 60 * 60 * 1000 };
const DAY_MS = 24 * 60 * 60 * 1000;
/** Node's timers hold at most 2^31 - 1 ms. */
export const MAX_INTERVAL_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

export interface DailyTime {
  hour: number;
  minute: number;
  utcOffsetMs: number;
}

/** The daily time of a `cron(M H * * ? *)` expression in a fixed-offset time zone; anything else throws. */
export const dailyTimeOf = (
  schedule: { expression: string; timeZone: string } = WATCHDOG_SCHEDULE,
): DailyTime => {
  const match = /^cron\((\d{1,2}) (\d{1,2}) \* \* \? \*\)$/.exec(schedule.expression);
  const utcOffsetMs = UTC_OFFSETS_MS[schedule.timeZone];
  const minute = Number(match?.[1]);
  const hour = Number(match?.[2]);
  if (!match || utcOffsetMs === undefined || minute > 59 || hour > 23) {
    throw new Error(
      `The local watchdog timer follows daily cron expressions in ${Object.keys(UTC_OFFSETS_MS).join(', ')} ` +
        `only, not ${schedule.expression} in ${schedule.timeZone}`,
    );
  }
  return { hour, minute, utcOffsetMs };
};

/** The first instant strictly after `now` at the schedule's daily time. */
export const nextDailyRun = (now: Date, at: DailyTime = dailyTimeOf()): Date => {
  const local = new Date(now.getTime() + at.utcOffsetMs);
  let next =
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), at.hour, at.minute) -
    at.utcOffsetMs;
  if (next <= now.getTime()) next += DAY_MS;
  return new Date(next);
};

export interface WatchdogTimerOptions {
  /** undefined: daily at WATCHDOG_SCHEDULE; 0: never (by hand only); N: every N seconds. */
  intervalSeconds: number | undefined;
  run: () => Promise<unknown>;
  log?: (line: string) => void;
  now?: () => Date;
}

export interface WatchdogTimer {
  /** When the timer fires next; null when it is off. */
  nextRun(): Date | null;
  /** Clears the timer and waits for a run it started. */
  stop(): Promise<void>;
}

export const startWatchdogTimer = (options: WatchdogTimerOptions): WatchdogTimer => {
  const { intervalSeconds, run } = options;
  const log = options.log ?? (() => undefined);
  const now = options.now ?? (() => new Date());
  if (
    intervalSeconds !== undefined &&
    !(Number.isInteger(intervalSeconds) && intervalSeconds >= 0 && intervalSeconds <= MAX_INTERVAL_SECONDS)
  ) {
    throw new Error(
      `The watchdog interval must be a whole number of seconds from 0 to ${MAX_INTERVAL_SECONDS}`,
    );
  }
  const daily = intervalSeconds === undefined ? dailyTimeOf() : null;

  let timer: NodeJS.Timeout | undefined;
  let next: Date | null = null;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const schedule = (after: Date) => {
    if (stopped || intervalSeconds === 0) return;
    next = daily ? nextDailyRun(after, daily) : new Date(after.getTime() + (intervalSeconds ?? 0) * 1000);
    timer = setTimeout(fire, Math.max(0, next.getTime() - now().getTime()));
    // The runtime's server keeps the process alive; the timer alone should not.
    timer.unref();
  };
  const fire = () => {
    const due = next ?? now();
    next = null;
    running = run()
      .then(
        () => undefined,
        (error: unknown) => log(`run failed: ${error instanceof Error ? error.message : String(error)}`),
      )
      // Never before the run that just fired: a timer that woke early must not fire twice.
      .then(() => schedule(new Date(Math.max(now().getTime(), due.getTime()))));
  };

  schedule(now());
  return {
    nextRun: () => next,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      next = null;
      await running;
    },
  };
};
