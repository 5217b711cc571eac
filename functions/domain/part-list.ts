/**
 * The rules a project's list of metrics and its list of deliverables share: a length limit, and
 * ids that are unique within the list and fit in a path segment.
 */
import type { FieldIssue } from './errors.js';

export const PART_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** Issues of a list's length and ids, named `<list>` and `<list>.<index>.id`. */
export const partListIssues = (
  list: 'metrics' | 'deliverables',
  ids: readonly string[],
  max: number,
): FieldIssue[] => {
  const issues: FieldIssue[] = [];
  if (ids.length > max) issues.push({ field: list, message: `must list at most ${max}` });
  const noun = list === 'metrics' ? 'metric' : 'deliverable';
  ids.forEach((id, index) => {
    const field = `${list}.${index}.id`;
    if (ids.indexOf(id) < index) issues.push({ field, message: `repeats ${noun} id ${id}` });
    if (!PART_ID_PATTERN.test(id))
      issues.push({ field, message: 'must be lowercase letters, digits and hyphens' });
  });
  return issues;
};
