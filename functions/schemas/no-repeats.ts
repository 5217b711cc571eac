/** Whether a list names each value once: named, so the validators compiled from the schemas import it. */
export const hasNoRepeats = (list: readonly unknown[]): boolean => new Set(list).size === list.length;
