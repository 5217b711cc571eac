/**
 * Deliverables: what an item promises to finish rather than to count (the 2025 rail item: two
 * lines to open, two to start building). Each belongs to one or more provinces and is done on a
 * date, with evidence; a correction with a reason can undo it. Pure.
 */
import { type CalendarDate, chinaDate } from './calendar.js';
import type { Caller } from './caller.js';
import { ConflictError, type FieldIssue, ForbiddenError, ValidationError } from './errors.js';
import { partListIssues } from './part-list.js';
import type { LocalizedText } from './project.js';
import { COORDINATOR, type Province } from './provinces.js';

/** `open`: brought into service (建成通车); `start`: construction started (开工); `other`: anything else. */
export const DELIVERABLE_KINDS = ['open', 'start', 'other'] as const;
export type DeliverableKind = (typeof DELIVERABLE_KINDS)[number];

export const MAX_DELIVERABLES_PER_PROJECT = 50;

export interface Deliverable {
  /** Unique within its project. */
  id: string;
  name: LocalizedText;
  /** The provinces responsible; any of their offices may mark it done. */
  provinces: Province[];
  kind: DeliverableKind;
  /** The date it is due; the item's deadline unless the list says otherwise. */
  due: CalendarDate;
  note: LocalizedText | null;
}

/** Where a deliverable stands: done on a date (with evidence), or not (again, after a correction). */
export interface DeliverableState {
  deliverableId: string;
  done: boolean;
  /** The date it was done; null when not done. */
  doneOn: CalendarDate | null;
  evidenceUrl: string | null;
  /** Why it was undone or its date changed; null for a plain completion. */
  correctionReason: string | null;
  updatedAt: string;
  updatedBy: { subject: string; username: string; role: Caller['role'] };
  version: number;
}

/** What an office submits: done on a date (with evidence), or undone with a reason. */
export type DeliverableChange =
  | {
      done: true;
      doneOn: CalendarDate;
      evidenceUrl?: string | undefined;
      correctionReason?: string | undefined;
    }
  | { done: false; correctionReason: string };

/** The rules of a project's deliverables that their schema cannot express. */
export const deliverableIssues = (
  deliverables: readonly Deliverable[],
  startDate: CalendarDate,
): FieldIssue[] => {
  const issues = partListIssues(
    'deliverables',
    deliverables.map((deliverable) => deliverable.id),
    MAX_DELIVERABLES_PER_PROJECT,
  );
  deliverables.forEach((deliverable, index) => {
    const at = (field: string) => `deliverables.${index}.${field}`;
    if (deliverable.provinces.length === 0) {
      issues.push({ field: at('provinces'), message: 'must name at least one province' });
    }
    if (new Set(deliverable.provinces).size !== deliverable.provinces.length) {
      issues.push({ field: at('provinces'), message: 'must not repeat a value' });
    }
    if (deliverable.due < startDate) {
      issues.push({ field: at('due'), message: `must not be before the project's start (${startDate})` });
    }
  });
  return issues;
};

const hasText = (text: string | undefined): text is string => text !== undefined && text.trim() !== '';

/**
 * Applies a change to a deliverable: an office of one of its provinces (or the coordinator)
 * marks it done on a date no later than today and no earlier than the item's start; undoing
 * it, or changing the date of a done one, is a correction and needs a reason. Marking done again
 * with the same date and evidence changes nothing and is refused, so that a repeated click
 * records nothing twice.
 */
export const decideDeliverable = (input: {
  deliverable: Deliverable;
  startDate: CalendarDate;
  current: DeliverableState | null;
  change: DeliverableChange;
  caller: Caller;
  now: Date;
}): DeliverableState => {
  const { deliverable, startDate, current, change, caller, now } = input;
  if (caller.role !== COORDINATOR && !deliverable.provinces.includes(caller.role)) {
    throw new ForbiddenError(
      `The ${caller.role} office may not mark deliverable ${deliverable.id}: it belongs to ${deliverable.provinces.join(', ')}.`,
    );
  }
  const wasDone = current?.done === true;
  if (change.done) {
    const today = chinaDate(now);
    const issues: FieldIssue[] = [];
    if (change.doneOn > today) {
      issues.push({ field: 'doneOn', message: `must not be in the future (today is ${today} in China)` });
    }
    if (change.doneOn < startDate) {
      issues.push({ field: 'doneOn', message: `must not be before the project's start (${startDate})` });
    }
    if (issues.length > 0)
      throw new ValidationError(`Deliverable ${deliverable.id} cannot be marked done.`, issues);
    if (wasDone && !hasText(change.correctionReason)) {
      throw new ConflictError(
        'deliverable-already-done',
        `Deliverable ${deliverable.id} was already marked done on ${current?.doneOn}; changing it is a correction and needs a correctionReason.`,
      );
    }
  } else if (!wasDone) {
    throw new ConflictError(
      'deliverable-not-done',
      `Deliverable ${deliverable.id} is not marked done: there is nothing to undo.`,
    );
  }
  return {
    deliverableId: deliverable.id,
    done: change.done,
    doneOn: change.done ? change.doneOn : null,
    evidenceUrl: change.done ? (change.evidenceUrl ?? null) : null,
    correctionReason: hasText(change.correctionReason) ? change.correctionReason : null,
    updatedAt: now.toISOString(),
    updatedBy: { subject: caller.subject, username: caller.username, role: caller.role },
    version: (current?.version ?? 0) + 1,
  };
};
