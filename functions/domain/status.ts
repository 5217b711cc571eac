/**
 * A project's status from its parts': the worst of its metrics' and its checklist's. A part
 * without a target has nothing to complete and does not hold the others back; a project is
 * `no-target` only when none of its parts has one.
 */
import type { Status } from './metric-progress.js';

/** Worst first. */
const SEVERITY: readonly Status[] = ['overdue', 'at-risk', 'on-track', 'completed'];

export const worstStatus = (statuses: readonly Status[]): Status =>
  SEVERITY.find((status) => statuses.includes(status)) ?? 'no-target';
