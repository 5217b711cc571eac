import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateTime,
  formatDaysAgo,
  formatNumber,
  formatPercent,
  formatQuantity,
  formatTime,
  localized,
} from '../../../web/src/format.js';

const KM = { zh: '公里', en: 'km' };

describe('formatting for Chinese and English readers', () => {
  it('groups thousands and keeps up to three decimals', () => {
    expect(formatNumber(70_000, 'zh-CN')).toBe('70,000');
    expect(formatNumber(205.125, 'en')).toBe('205.125');
    expect(formatNumber(0.0004, 'en')).toBe('0');
  });

  it('shows percentages with one decimal and does not cap them at 100', () => {
    expect(formatPercent(31.818, 'zh-CN')).toBe('31.8%');
    expect(formatPercent(120, 'en')).toBe('120%');
  });

  it('writes a unit after the number, without a space in Chinese and with one in English', () => {
    expect(formatQuantity(660, KM, 'zh-CN')).toBe('660公里');
    expect(formatQuantity(660, KM, 'en')).toBe('660 km');
    expect(formatQuantity(3, null, 'en')).toBe('3');
  });

  it('shows calendar dates as written, whatever the time zone of the browser', () => {
    expect(formatDate('2024-06-30', 'zh-CN')).toBe('2024年6月30日');
    expect(formatDate('2024-06-30', 'en')).toBe('Jun 30, 2024');
    expect(formatDate('2024-01-01', 'en')).toBe('Jan 1, 2024');
  });

  it('shows instants in China time', () => {
    const lateEveningUtc = new Date('2024-06-30T20:30:15Z');
    expect(formatDateTime(lateEveningUtc, 'zh-CN')).toBe('2024年7月1日 04:30');
    expect(formatTime(lateEveningUtc, 'zh-CN')).toBe('04:30:15');
    expect(formatTime(lateEveningUtc, 'en')).toBe('4:30:15 AM');
  });

  it('says how many days ago a report was, in words for today and yesterday', () => {
    expect(formatDaysAgo(3, 'zh-CN')).toBe('3天前');
    expect(formatDaysAgo(3, 'en')).toBe('3 days ago');
    expect(formatDaysAgo(1, 'zh-CN')).toBe('昨天');
    expect(formatDaysAgo(0, 'en')).toBe('today');
  });

  it('picks the text in the reader’s language', () => {
    expect(localized(KM, 'zh-CN')).toBe('公里');
    expect(localized(KM, 'en')).toBe('km');
  });
});
