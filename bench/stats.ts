/** The bench's arithmetic, kept pure so that tests/unit/bench can hold it. */

/** The middle sample (the mean of the two middle ones for an even count). */
export const median = (samples: readonly number[]): number => {
  if (samples.length === 0) throw new Error('median of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
};

/** A measured figure over its baseline's, rounded to hundredths as the tables print it. */
export const ratio = (measured: number, baseline: number): number => {
  if (!(baseline > 0)) throw new Error(`baseline must be positive, got ${baseline}`);
  return Math.round((measured / baseline) * 100) / 100;
};

/**
 * The order of the runs: in each round, the baseline before every subject (baseline, a,
 * baseline, b, …), so that a machine growing slower or faster during the run weighs on the
 * baseline's samples as much as on each subject's.
 */
export const interleaved = <T>(baseline: T, subjects: readonly T[], rounds: number): T[] => {
  const order: T[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const subject of subjects) order.push(baseline, subject);
  }
  return order;
};
