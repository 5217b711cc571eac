/**
 * A project's deliverables as a checklist: how many are done, which are past due, and the
 * checklist's status. Pure.
 */
import { type CalendarDate, chinaDate } from './calendar.js';
import { roundPercent } from './decimal.js';
import type { Deliverable, DeliverableState } from './deliverable.js';
import type { Schedule, Status } from './metric-progress.js';

export interface DeliverableProgress {
  deliverableId: string;
  done: boolean;
  doneOn: CalendarDate | null;
  due: CalendarDate;
  /** Not done and its due date has passed (in China). */
  pastDue: boolean;
}

export interface ChecklistProgress {
  total: number;
  done: number;
  /** done / total, in percent. */
  percent: number;
  status: Status;
  items: DeliverableProgress[];
}

/**
 * Completed when every deliverable is done; overdue once the item's deadline has passed with
 * one still open; at risk while any is past its own due date; on track otherwise. Null for a
 * project without deliverables.
 */
export const computeChecklist = (
  deliverables: readonly Deliverable[],
  states: readonly DeliverableState[],
  schedule: Pick<Schedule, 'deadline'>,
  now: Date,
): ChecklistProgress | null => {
  if (deliverables.length === 0) return null;
  const today = chinaDate(now);
  const byId = new Map(states.map((state) => [state.deliverableId, state]));
  const items = deliverables.map((deliverable): DeliverableProgress => {
    const state = byId.get(deliverable.id);
    const done = state?.done === true;
    return {
      deliverableId: deliverable.id,
      done,
      doneOn: done ? (state?.doneOn ?? null) : null,
      due: deliverable.due,
      pastDue: !done && today > deliverable.due,
    };
  });
  const done = items.filter((item) => item.done).length;
  const status: Status =
    done === items.length
      ? 'completed'
      : today > schedule.deadline
        ? 'overdue'
        : items.some((item) => item.pastDue)
          ? 'at-risk'
          : 'on-track';
  return { total: items.length, done, percent: roundPercent((done / items.length) * 100), status, items };
};
