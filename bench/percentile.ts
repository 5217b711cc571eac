/**
 * Percentiles of latency samples by the nearest-rank method: always one of the samples, so a
 * p95 of 100 reports is the 95th fastest, a time some report really took, never an interpolation.
 */
export const percentile = (samples: readonly number[], p: number): number => {
  if (samples.length === 0) throw new Error('percentile of no samples');
  if (!(p > 0 && p <= 100)) throw new Error(`percentile must be in (0, 100], got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[rank - 1] as number;
};
