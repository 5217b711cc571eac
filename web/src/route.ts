/**
 * Where the reader is and how often the page refreshes, read from the URL: the hash names the
 * view (`#/`, `#/years/2025`, `#/projects/rail-2024`), `?refresh=<seconds>` the polling interval.
 */
import type { CalendarDate } from '../../functions/domain/calendar.js';

export type Route = { view: 'overview'; year: number | null } | { view: 'project'; projectId: string };

/** 2024 was the first list the three provinces and Shanghai published jointly (DOMAIN.md). */
export const FIRST_LIST_YEAR = 2024;
export const DEFAULT_REFRESH_SECONDS = 30;
export const MIN_REFRESH_SECONDS = 1;
export const MAX_REFRESH_SECONDS = 3600;
/** The API's largest JSON page of history (MILESTONE_PAGE_MAX). */
export const HISTORY_PAGE_SIZE = 200;
/** Pages of history followed at most: 2,000 reports, far beyond a year of monthly reports. */
export const HISTORY_PAGE_CAP = 10;

const PROJECT_HASH = /^#\/projects\/([^/?#]+)\/?$/;
const YEAR_HASH = /^#\/years\/(\d{4})\/?$/;

export const parseRoute = (hash: string): Route => {
  const project = PROJECT_HASH.exec(hash);
  if (project?.[1]) {
    try {
      return { view: 'project', projectId: decodeURIComponent(project[1]) };
    } catch {
      return { view: 'overview', year: null };
    }
  }
  const year = YEAR_HASH.exec(hash);
  return { view: 'overview', year: year?.[1] ? Number(year[1]) : null };
};

export const overviewHash = (year: number | null): string => (year === null ? '#/' : `#/years/${year}`);
/** The overview of `year`: the default year's lives at `#/`, so there is one address per view. */
export const yearHash = (year: number | null, defaultYear: number | null): string =>
  overviewHash(year === defaultYear ? null : year);

export const projectHash = (projectId: string): string => `#/projects/${encodeURIComponent(projectId)}`;

/** A key per view, to remember each view's scroll position. */
export const routeKey = (route: Route): string =>
  route.view === 'project' ? `project:${route.projectId}` : `overview:${route.year ?? ''}`;

/** `?refresh=5` → 5; missing or invalid → 30; at least 1, at most an hour. */
export const refreshSeconds = (search: string): number => {
  const raw = new URLSearchParams(search).get('refresh');
  if (raw === null || raw.trim() === '') return DEFAULT_REFRESH_SECONDS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds)) return DEFAULT_REFRESH_SECONDS;
  return Math.min(MAX_REFRESH_SECONDS, Math.max(MIN_REFRESH_SECONDS, seconds));
};

/** Years whose list may exist, newest first: next year's list can be published in advance. */
export const candidateYears = (today: CalendarDate): number[] => {
  const current = Number(today.slice(0, 4));
  const years: number[] = [];
  for (let year = current + 1; year >= FIRST_LIST_YEAR; year--) years.push(year);
  return years;
};

/** The latest year with projects, or this year when no list has any yet. */
export const defaultYear = (
  counts: readonly { year: number; count: number }[],
  today: CalendarDate,
): number => {
  const years = counts.filter((entry) => entry.count > 0).map((entry) => entry.year);
  return years.length > 0 ? Math.max(...years) : Number(today.slice(0, 4));
};

/** The years a selector offers, newest first: `years`, with the year shown even when it is not among them. */
export const yearOptions = (years: readonly number[], year: number): readonly number[] =>
  years.includes(year) ? years : [year, ...years].sort((a, b) => b - a);
