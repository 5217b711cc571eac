import { describe, expect, it } from 'vitest';
import { percentile } from '../../../bench/percentile.js';

describe('percentile', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);

  it('is the nearest-rank sample, whatever the order', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    // Rank ceil(0.99 × 10) = 10: with ten samples p99 is the slowest one, never an interpolation.
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 1000], 99)).toBe(1000);
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
  });

  it('sorts numbers as numbers, not as text', () => {
    expect(percentile([9, 10, 100, 2], 25)).toBe(2);
    expect(percentile([9, 10, 100, 2], 75)).toBe(10);
  });

  it('leaves the samples as they were', () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('refuses no samples and a p outside (0, 100]', () => {
    expect(() => percentile([], 50)).toThrow(/no samples/);
    expect(() => percentile([1], 0)).toThrow(/\(0, 100\]/);
    expect(() => percentile([1], 101)).toThrow(/\(0, 100\]/);
  });
});
