/** Calendar dates are ISO `YYYY-MM-DD` strings; the offices work on China Standard Time (UTC+8, no DST). */
export type CalendarDate = string;

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date such as 2024-02-29, false for 2023-02-29 or 2024-13-01. */
export const isCalendarDate = (value: string): boolean => {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

/** The calendar date in Asia/Shanghai at the instant `now`. */
export const chinaDate = (now: Date): CalendarDate =>
  new Date(now.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);

const toUtcMs = (date: CalendarDate): number => Date.parse(`${date}T00:00:00Z`);

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: CalendarDate, to: CalendarDate): number =>
  Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);

export const yearStart = (year: number): CalendarDate => `${year}-01-01`;
export const yearEnd = (year: number): CalendarDate => `${year}-12-31`;
