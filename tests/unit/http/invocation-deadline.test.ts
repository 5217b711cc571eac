import { afterEach, describe, expect, it, vi } from 'vitest';
import { ServiceUnavailableError } from '../../../functions/domain/errors.js';
import { ANSWER_BEFORE_TIMEOUT_MS, withinDeadline } from '../../../functions/http/invocation-deadline.js';
import { lambdaContext } from '../../support/fixtures.js';

const contextWith = (remainingMs: number) => ({
  ...lambdaContext(),
  getRemainingTimeInMillis: () => remainingMs,
});

afterEach(() => {
  vi.useRealTimers();
});

describe('withinDeadline', () => {
  it('aborts only the invocation whose own time ran out', async () => {
    // Time is the test's: the deadlines are timers it runs itself.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const signals: AbortSignal[] = [];
    const never = (signal: AbortSignal) => {
      signals.push(signal);
      return new Promise<string>(() => undefined);
    };
    const short = withinDeadline(contextWith(100), never);
    const long = withinDeadline(contextWith(10_000), never);
    const shortAnswered = expect(short).rejects.toBeInstanceOf(ServiceUnavailableError);
    const longAnswered = expect(long).rejects.toBeInstanceOf(ServiceUnavailableError);

    await vi.advanceTimersByTimeAsync(100 - ANSWER_BEFORE_TIMEOUT_MS);
    await shortAnswered;
    expect(signals.map((signal) => signal.aborted)).toEqual([true, false]);

    await vi.advanceTimersByTimeAsync(10_000);
    await longAnswered;
    expect(signals.map((signal) => signal.aborted)).toEqual([true, true]);
  });

  it('answers with the work’s result and leaves no timer behind', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const seen: AbortSignal[] = [];
    const result = await withinDeadline(contextWith(10_000), async (signal) => {
      seen.push(signal);
      return 'done';
    });
    expect(result).toBe('done');
    expect(vi.getTimerCount()).toBe(0);
    expect(seen[0]?.aborted).toBe(false);
  });

  it('passes the work’s own failure through', async () => {
    const failure = new Error('the database is down');
    await expect(
      withinDeadline(contextWith(10_000), async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
  });
});
