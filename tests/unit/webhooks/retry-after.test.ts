import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../functions/webhooks/sender.js';

const NOW = Date.parse('2024-12-01T02:00:00.000Z');

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120],
    ['0', 0],
    [' 30 ', 30],
  ])('reads delay-seconds %j as %i', (value, seconds) => {
    expect(parseRetryAfter(value, NOW)).toBe(seconds);
  });

  it('reads an HTTP-date as the seconds until then', () => {
    expect(parseRetryAfter('Sun, 01 Dec 2024 02:02:00 GMT', NOW)).toBe(120);
    expect(parseRetryAfter('Sun, 01 Dec 2024 02:00:00 GMT', NOW)).toBe(0);
  });

  it('reads an HTTP-date in the past as no wait', () => {
    expect(parseRetryAfter('Sat, 30 Nov 2024 02:00:00 GMT', NOW)).toBe(0);
  });

  it.each([undefined, '', 'soon', '-5', '1.5', '2024-12-01', '99999999999999999999'])(
    'ignores %j',
    (value) => {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    },
  );
});
