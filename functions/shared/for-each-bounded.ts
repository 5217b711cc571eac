/**
 * Runs `work` on every item, at most `limit` at a time, in order of start. Every item is tried
 * even when some fail (one failure must not leave the rest undone); then the first failure is
 * thrown, unchanged, so that its kind (a 503, say) still decides the answer.
 */
export const forEachBounded = async <T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> => {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failures.length > 0) throw failures[0];
};
