import { describe, expect, it } from 'vitest';
import { percentile } from '../../../bench/percentile.js';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100, 99, …, 1

  it('is a sample, the one at rank ⌈p/100 × n⌉, whatever the order', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([30, 10, 20], 50)).toBe(20);
    // Rank ⌈0.95 × 3⌉ = 3: the slowest of three, never a value between two samples.
    expect(percentile([30, 10, 20], 95)).toBe(30);
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
  });

  it('leaves the samples as they were', () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('refuses no samples and percentiles outside (0, 100]', () => {
    expect(() => percentile([], 50)).toThrow(/no samples/);
    expect(() => percentile([1], 0)).toThrow(/\(0, 100\]/);
    expect(() => percentile([1], 101)).toThrow(/\(0, 100\]/);
  });
});
