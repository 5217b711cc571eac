/**
 * The dashboard's only stateful module: it reads the URL, loads from the API, polls, and patches
 * the views into the page. Everything it shows is decided in DOM-free modules (views/ and
 * what they use), so this file is only wiring.
 */
import { chinaDate } from '../../functions/domain/calendar.js';
import { fetchProjectDetail, fetchProjects, LoadError } from './api.js';
import type { ProjectList } from './api-data.js';
import { initialLang, LANG_STORAGE_KEY, type Lang, messagesFor } from './i18n.js';
import { patchChildren } from './patch.js';
import { candidateYears, defaultYear, parseRoute, refreshSeconds, routeKey, yearHash } from './route.js';
import { appView, documentTitle } from './views/frame.js';
import { MAIN_HEADING_ID, type ViewState } from './views/view-state.js';

const root = document.getElementById('app');
if (root === null) throw new Error('The page has no #app element');
const app: HTMLElement = root;

/** localStorage can be unavailable (private browsing, disabled storage): the page works without it. */
const storage = {
  get: (key: string): string | null => {
    try {
      return window.localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set: (key: string, value: string): void => {
    try {
      window.localStorage.setItem(key, value);
    } catch {
      // not remembered, still switched
    }
  },
};

const state: ViewState = {
  lang: initialLang(storage.get(LANG_STORAGE_KEY)),
  route: parseRoute(window.location.hash),
  refreshSeconds: refreshSeconds(window.location.search),
  years: [],
  year: null,
  defaultYear: null,
  list: null,
  detail: null,
  notFound: false,
  problem: null,
  updatedAt: null,
  today: chinaDate(new Date()),
  chartWidth: 640,
};
if (state.route.view === 'overview') state.year = state.route.year;

let timer: ReturnType<typeof setTimeout> | undefined;
let inFlight: AbortController | null = null;
/** The view the reader just navigated to: scroll and focus are settled once it has content. */
let arriving: string | null = null;
const scrollPositions = new Map<string, number>();

const currentKey = (): string =>
  state.route.view === 'project' ? routeKey(state.route) : `overview:${state.year ?? ''}`;

const hasContent = (): boolean =>
  state.route.view === 'project'
    ? state.detail?.project.id === state.route.projectId || state.notFound
    : state.list !== null && state.list.year === state.year;

const render = (): void => {
  document.documentElement.lang = state.lang;
  document.title = documentTitle(state);
  patchChildren(app, appView(state));
  // The chart is drawn at the width it is shown at, so its text stays legible on a phone.
  const block = app.querySelector<HTMLElement>('.chart-block');
  if (block && Math.abs(block.clientWidth - state.chartWidth) > 1) {
    state.chartWidth = block.clientWidth;
    patchChildren(app, appView(state));
  }
  if (arriving !== null && arriving === currentKey() && hasContent()) {
    window.scrollTo(0, scrollPositions.get(arriving) ?? 0);
    document.getElementById(MAIN_HEADING_ID)?.focus({ preventScroll: true });
    arriving = null;
  }
};

const discoverYears = async (signal: AbortSignal): Promise<Map<number, ProjectList>> => {
  const lists = await Promise.all(candidateYears(state.today).map((year) => fetchProjects(year, signal)));
  const byYear = new Map(lists.map((list) => [list.year, list]));
  const counts = lists.map((list) => ({ year: list.year, count: list.projects.length }));
  state.defaultYear = defaultYear(counts, state.today);
  state.years = counts
    .filter((entry) => entry.count > 0 || entry.year === state.defaultYear)
    .map((entry) => entry.year);
  return byYear;
};

const schedule = (): void => {
  clearTimeout(timer);
  if (document.visibilityState === 'hidden') return;
  timer = setTimeout(() => void load(), state.refreshSeconds * 1000);
};

/** Loads what the current view shows; a newer load (navigation, refresh) cancels an older one. */
const load = async (): Promise<void> => {
  inFlight?.abort();
  const controller = new AbortController();
  inFlight = controller;
  clearTimeout(timer);
  const { signal } = controller;
  try {
    state.today = chinaDate(new Date());
    const discovered =
      state.defaultYear === null ? await discoverYears(signal) : new Map<number, ProjectList>();
    const route = state.route;
    if (route.view === 'overview') {
      const year = route.year ?? state.defaultYear ?? Number(state.today.slice(0, 4));
      const list = discovered.get(year) ?? (await fetchProjects(year, signal));
      state.year = year;
      state.list = list;
    } else {
      try {
        state.detail = await fetchProjectDetail(route.projectId, signal);
        state.notFound = false;
      } catch (error) {
        if (!(error instanceof LoadError && error.problem.status === 404)) throw error;
        state.detail = null;
        state.notFound = true;
      }
    }
    state.problem = null;
    state.updatedAt = new Date();
  } catch (error) {
    if (signal.aborted) return;
    state.problem =
      error instanceof LoadError ? error.problem : { status: null, title: String(error), detail: null };
  }
  if (inFlight !== controller) return;
  inFlight = null;
  render();
  schedule();
};

const navigate = (): void => {
  scrollPositions.set(currentKey(), window.scrollY);
  state.route = parseRoute(window.location.hash);
  if (state.route.view === 'overview') state.year = state.route.year ?? state.defaultYear;
  state.problem = null;
  state.notFound = false;
  arriving = currentKey();
  render();
  void load();
};

const setLang = (lang: Lang): void => {
  state.lang = lang;
  storage.set(LANG_STORAGE_KEY, lang);
  render();
};

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-action]') : null;
  if (target === null) return;
  if (target.dataset.action === 'toggle-lang') setLang(messagesFor(state.lang).otherLanguage);
  else if (target.dataset.action === 'retry') void load();
  else if (target.dataset.action === 'skip-to-main') {
    event.preventDefault();
    document.getElementById('main')?.focus();
  }
});

document.addEventListener('change', (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.dataset.action === 'select-year') {
    window.location.hash = yearHash(Number(target.value), state.defaultYear);
  }
});

window.addEventListener('hashchange', navigate);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') void load();
  else clearTimeout(timer);
});

let resizeFrame = 0;
window.addEventListener('resize', () => {
  cancelAnimationFrame(resizeFrame);
  resizeFrame = requestAnimationFrame(render);
});

render();
void load();
