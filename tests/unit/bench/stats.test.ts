import { describe, expect, it } from 'vitest';
import { interleaved, median, ratio } from '../../../bench/stats.js';

describe('median', () => {
  it('is the middle sample of an odd count, whatever the order', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([120, 80, 81, 79, 300, 82, 78, 90, 85, 77, 84])).toBe(82);
  });

  it('is the mean of the two middle samples of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('leaves the samples as they were', () => {
    const samples = [3, 1, 2];
    median(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('refuses no samples', () => {
    expect(() => median([])).toThrow(/no samples/);
  });
});

describe('ratio', () => {
  it('is measured over baseline, to hundredths', () => {
    expect(ratio(808, 323)).toBe(2.5);
    expect(ratio(117.1, 79)).toBe(1.48);
    expect(ratio(79, 79)).toBe(1);
  });

  it('refuses a baseline that is not positive', () => {
    expect(() => ratio(1, 0)).toThrow(/positive/);
    expect(() => ratio(1, Number.NaN)).toThrow(/positive/);
  });
});

describe('interleaved', () => {
  it('puts the baseline before every subject, round after round', () => {
    expect(interleaved('b', ['f1', 'f2', 'f3'], 2).join(' ')).toBe('b f1 b f2 b f3 b f1 b f2 b f3');
  });

  it('gives the baseline as many samples as all subjects together', () => {
    const order = interleaved('b', ['f1', 'f2'], 11);
    expect(order.filter((x) => x === 'b')).toHaveLength(22);
    expect(order.filter((x) => x === 'f2')).toHaveLength(11);
  });
});
