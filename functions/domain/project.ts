import type { CalendarDate } from './calendar.js';
import type { Province } from './provinces.js';

/**
 * How the provinces' values combine into the region's progress.
 * - `sum`: the region total is the sum of the four provinces' values (660 km of railway).
 * - `each`: every province must reach the target on its own (12 items in each province's insurance).
 */
export const AGGREGATIONS = ['sum', 'each'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

export interface LocalizedText {
  zh: string;
  en: string;
}

export interface Project {
  id: string;
  year: number;
  name: LocalizedText;
  /** What is counted, e.g. 新增建成铁路里程; null when the source does not say yet. */
  metric: LocalizedText | null;
  unit: LocalizedText | null;
  /** Kilometres may carry decimals; counts (piles, sites, items) are whole numbers. */
  allowDecimals: boolean;
  /** Regional target for `sum`, per-province target for `each`; null while none is set. */
  target: number | null;
  /** The source's "以上": the target is a floor, exceeding it is expected. */
  targetIsMinimum: boolean;
  aggregation: Aggregation;
  startDate: CalendarDate;
  deadline: CalendarDate;
  /** Optional split of a `sum` target between the provinces. */
  provinceTargets: Partial<Record<Province, number>>;
  /** A province that has not reported for longer than this is overdue. */
  reportingIntervalDays: number;
  /** Percentage points behind the straight line from start to deadline before a project is at risk. */
  atRiskTolerancePoints: number;
  version: number;
  updatedAt: string;
}

export const DEFAULT_REPORTING_INTERVAL_DAYS = 30;
export const DEFAULT_AT_RISK_TOLERANCE_POINTS = 10;
/** Values are cumulative totals; beyond this no livelihood metric is plausible. */
export const MAX_MILESTONE_VALUE = 1_000_000_000;
/** Kilometres are reported to the metre at most. */
export const MAX_DECIMAL_PLACES = 3;
/** A report more than this many times the target is almost certainly a typo (660000 km for 660). */
export const PLAUSIBLE_TARGET_MULTIPLE = 10;

export const PROJECT_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
