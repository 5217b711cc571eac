/**
 * Numbers, percentages, dates and ages as a Chinese or English reader expects them, all through
 * Intl. Calendar dates (`YYYY-MM-DD`) are the offices' dates in China and are shown as written;
 * instants are shown in China Standard Time, the time the offices work in.
 */
import type { CalendarDate } from '../../functions/domain/calendar.js';
import type { LocalizedText } from '../../functions/domain/project.js';
import type { Lang } from './i18n.js';

export const CHINA_TIME_ZONE = 'Asia/Shanghai';

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>();
const cached = <T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(
  key: string,
  make: () => T,
): T => {
  let found = cache.get(key) as T | undefined;
  if (!found) {
    found = make();
    cache.set(key, found);
  }
  return found;
};

/** The text in the reader's language (Chinese for zh-CN, English otherwise). */
export const localized = (text: LocalizedText, lang: Lang): string => (lang === 'en' ? text.en : text.zh);

/** 70000 → "70,000"; kilometres keep up to three decimals (1.5 → "1.5"). */
export const formatNumber = (value: number, lang: Lang): string =>
  cached(`n:${lang}`, () => new Intl.NumberFormat(lang, { maximumFractionDigits: 3 })).format(value);

/** 31.82 → "31.8%": one decimal is as precise as a progress figure deserves. */
export const formatPercent = (percent: number, lang: Lang): string =>
  cached(
    `p:${lang}`,
    () => new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }),
  ).format(percent / 100);

/** A value with its unit: "660公里" in Chinese, "660 km" in English; a bare number without a unit. */
export const formatQuantity = (value: number, unit: LocalizedText | null, lang: Lang): string => {
  const number = formatNumber(value, lang);
  if (unit === null) return number;
  return lang === 'en' ? `${number} ${unit.en}` : `${number}${unit.zh}`;
};

const calendarDateParts = (date: CalendarDate): Date => new Date(`${date}T00:00:00Z`);

/** 2024-06-30 → "2024年6月30日" / "Jun 30, 2024". */
export const formatDate = (date: CalendarDate, lang: Lang): string =>
  cached(
    `d:${lang}`,
    () => new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }),
  ).format(calendarDateParts(date));

/** Month label for a chart axis: "6月" / "Jun". */
export const formatMonth = (date: CalendarDate, lang: Lang): string =>
  cached(`m:${lang}`, () => new Intl.DateTimeFormat(lang, { month: 'short', timeZone: 'UTC' })).format(
    calendarDateParts(date),
  );

/** An instant, in China time: "2024/6/30 14:03" / "Jun 30, 2024, 2:03 PM". */
export const formatDateTime = (instant: string | Date, lang: Lang): string =>
  cached(
    `dt:${lang}`,
    () =>
      new Intl.DateTimeFormat(lang, {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone: CHINA_TIME_ZONE,
      }),
  ).format(typeof instant === 'string' ? new Date(instant) : instant);

/** A time of day, in China time, to the second: "14:03:21" / "2:03:21 PM". */
export const formatTime = (instant: Date, lang: Lang): string =>
  cached(
    `t:${lang}`,
    () => new Intl.DateTimeFormat(lang, { timeStyle: 'medium', timeZone: CHINA_TIME_ZONE }),
  ).format(instant);

/** 0 → "今天" / "today", 1 → "昨天" / "yesterday", 3 → "3天前" / "3 days ago". */
export const formatDaysAgo = (days: number, lang: Lang): string =>
  cached(`r:${lang}`, () => new Intl.RelativeTimeFormat(lang, { numeric: 'auto' })).format(-days, 'day');

/** Seconds as a plain number in the reader's language ("30"). */
export const formatSeconds = (seconds: number, lang: Lang): string => formatNumber(seconds, lang);
