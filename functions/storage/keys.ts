import type { CalendarDate } from '../domain/calendar.js';
import type { Province } from '../domain/provinces.js';

/**
 * Key builders: the only place that knows how items are laid out.
 *
 * | item              | PK                          | SK                                       | GSI1PK                          | GSI1SK                     |
 * |-------------------|-----------------------------|------------------------------------------|---------------------------------|----------------------------|
 * | project           | PROJECT#<id>                | STATE#PROJECT                            | YEAR#<year>                     | <id>#PROJECT               |
 * | region aggregate  | PROJECT#<id>                | STATE#REGION                             | YEAR#<year>                     | <id>#REGION                |
 * | province state    | PROJECT#<id>                | STATE#PROVINCE#<province>                | YEAR#<year>                     | <id>#PROVINCE#<province>   |
 * | milestone         | PROJECT#<id>                | MILESTONE#<asOf>#<recordedAt>#<mid>      | PROJECT#<id>#PROVINCE#<prov>    | MILESTONE#<asOf>#<recordedAt>#<mid> |
 * | idempotency       | IDEMPOTENCY#<subject>#<key> | IDEMPOTENCY                              | –                               | –                          |
 * | watch state       | PROJECT#<id>                | WATCH#STATUS                             | –                               | –                          |
 * | overdue notice    | PROJECT#<id>                | NOTICE#OVERDUE#<province>#<mid|never>    | –                               | –                          |
 * | at-risk notice    | PROJECT#<id>                | NOTICE#RISK#<n, 6 digits>                | –                               | –                          |
 */
export const ENTITY = {
  project: 'Project',
  region: 'RegionAggregate',
  province: 'ProvinceState',
  milestone: 'Milestone',
  idempotency: 'IdempotencyRecord',
  /** What the watchdog last saw of a project (its status), so a transition is noticed once. */
  watchState: 'WatchState',
  /** A watchdog finding, written once per occurrence; its INSERT is the event's outbox entry. */
  notice: 'Notice',
} as const;

export const STATE_PREFIX = 'STATE#';
export const MILESTONE_PREFIX = 'MILESTONE#';

export const projectPk = (projectId: string) => `PROJECT#${projectId}`;
export const yearPk = (year: number) => `YEAR#${year}`;

export const projectKey = (projectId: string) => ({ PK: projectPk(projectId), SK: `${STATE_PREFIX}PROJECT` });
export const regionKey = (projectId: string) => ({ PK: projectPk(projectId), SK: `${STATE_PREFIX}REGION` });
export const provinceKey = (projectId: string, province: Province) => ({
  PK: projectPk(projectId),
  SK: `${STATE_PREFIX}PROVINCE#${province}`,
});

export const projectYearIndexKey = (projectId: string, year: number) => ({
  GSI1PK: yearPk(year),
  GSI1SK: `${projectId}#PROJECT`,
});
export const regionYearIndexKey = (projectId: string, year: number) => ({
  GSI1PK: yearPk(year),
  GSI1SK: `${projectId}#REGION`,
});
export const provinceYearIndexKey = (projectId: string, year: number, province: Province) => ({
  GSI1PK: yearPk(year),
  GSI1SK: `${projectId}#PROVINCE#${province}`,
});

/** Milestones sort by as-of date, then by when they were recorded, so corrections follow what they correct. */
export const milestoneSortKey = (asOf: CalendarDate, recordedAt: string, milestoneId: string) =>
  `${MILESTONE_PREFIX}${asOf}#${recordedAt}#${milestoneId}`;

/**
 * The shape milestoneSortKey gives (a date, an ISO instant, an id of at most 64 characters): what
 * a key handed back by a caller must have before it goes to DynamoDB, which refuses a sort key
 * over 1,024 bytes with an error of its own.
 */
const MILESTONE_SORT_KEY =
  /^MILESTONE#\d{4}-\d{2}-\d{2}#\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[A-Za-z0-9_-]{1,64}$/;
export const isMilestoneSortKey = (value: string): boolean => MILESTONE_SORT_KEY.test(value);

export const provinceMilestonesPk = (projectId: string, province: Province) =>
  `${projectPk(projectId)}#PROVINCE#${province}`;

export const milestoneKeys = (
  projectId: string,
  province: Province,
  asOf: CalendarDate,
  recordedAt: string,
  milestoneId: string,
) => {
  const sortKey = milestoneSortKey(asOf, recordedAt, milestoneId);
  return {
    PK: projectPk(projectId),
    SK: sortKey,
    GSI1PK: provinceMilestonesPk(projectId, province),
    GSI1SK: sortKey,
  };
};

export const idempotencyKey = (subject: string, key: string) => ({
  PK: `IDEMPOTENCY#${subject}#${key}`,
  SK: 'IDEMPOTENCY',
});

export const NOTICE_PREFIX = 'NOTICE#';
/** Stands for "no report yet" in an overdue occurrence key. */
export const NEVER_REPORTED = 'never';

export const watchStateKey = (projectId: string) => ({ PK: projectPk(projectId), SK: 'WATCH#STATUS' });

/**
 * One overdue occurrence: the province's silence since its last report (or since the start, if
 * it never reported). A new report gives the next silence a new key.
 */
export const overdueNoticeKey = (projectId: string, province: Province, lastMilestoneId: string | null) => ({
  PK: projectPk(projectId),
  SK: `${NOTICE_PREFIX}OVERDUE#${province}#${lastMilestoneId ?? NEVER_REPORTED}`,
});

/** The project's n-th at-risk transition (1, 2, …): into at-risk, out of it, into it again, … */
export const riskNoticeKey = (projectId: string, sequence: number) => ({
  PK: projectPk(projectId),
  SK: `${NOTICE_PREFIX}RISK#${String(sequence).padStart(6, '0')}`,
});
