import { describe, expect, it } from 'vitest';
import { chinaDate, daysBetween, isCalendarDate } from '../../../functions/domain/calendar.js';
import { hasAtMostDecimalPlaces, subtractValues, sumValues } from '../../../functions/domain/decimal.js';

describe('calendar dates', () => {
  it.each(['2024-02-29', '2024-12-31', '2025-01-01'])('accepts the real date %s', (date) => {
    expect(isCalendarDate(date)).toBe(true);
  });
  it.each(['2023-02-29', '2024-13-01', '2024-06-31', '2024-6-30', '30/06/2024', ''])('refuses %j', (date) => {
    expect(isCalendarDate(date)).toBe(false);
  });
  it('reads the date in China, eight hours ahead of UTC', () => {
    expect(chinaDate(new Date('2024-06-30T15:59:59Z'))).toBe('2024-06-30');
    expect(chinaDate(new Date('2024-06-30T16:00:00Z'))).toBe('2024-07-01');
  });
  it('counts whole days between dates, across a leap day', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2024-03-01', '2024-02-28')).toBe(-2);
  });
});

describe('decimal arithmetic on values', () => {
  it('subtracts kilometres exactly', () => {
    expect(subtractValues(210.7, 210.5)).toBe(0.2);
  });
  it('sums without float noise', () => {
    expect(sumValues([0.1, 0.2, 0.3])).toBe(0.6);
  });
  it('counts decimal places', () => {
    expect(hasAtMostDecimalPlaces(1.005, 3)).toBe(true);
    expect(hasAtMostDecimalPlaces(1.0005, 3)).toBe(false);
    expect(hasAtMostDecimalPlaces(660, 0)).toBe(true);
  });
});
