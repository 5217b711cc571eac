/**
 * A latency percentile, nearest-rank: the smallest sample that at least p % of the samples do not
 * exceed, so that p99 of 100 samples is the 99th, not an interpolation between two real answers.
 */
export const percentile = (samples: readonly number[], p: number): number => {
  if (samples.length === 0) throw new Error('percentile of no samples');
  if (!(p > 0 && p <= 100)) throw new Error(`percentile must be in (0, 100], got ${p}`);
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[rank - 1] as number;
};
