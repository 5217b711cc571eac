/**
 * What the views are given: everything main.ts knows, as plain data. The views decide nothing
 * from elsewhere, so the same state always draws the same page.
 */
import type { CalendarDate } from '../../../functions/domain/calendar.js';
import type { ProjectDetail, ProjectList } from '../api-data.js';
import type { Lang } from '../i18n.js';
import type { LoadProblem } from '../problem.js';
import type { Route } from '../route.js';

export interface ViewState {
  lang: Lang;
  route: Route;
  refreshSeconds: number;
  /** Years offered by the selector, newest first. */
  years: number[];
  /** The overview's year once known (the route's, or the latest with projects). */
  year: number | null;
  /** The latest year with projects: its overview lives at `#/`. */
  defaultYear: number | null;
  list: ProjectList | null;
  detail: ProjectDetail | null;
  notFound: boolean;
  problem: LoadProblem | null;
  updatedAt: Date | null;
  today: CalendarDate;
  chartWidth: number;
}

/** Each page's h1: main.ts moves focus to it when the reader arrives on a page. */
export const MAIN_HEADING_ID = 'main-heading';
