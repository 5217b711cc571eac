/**
 * The page as a tree (see vdom.ts) for a given state: skip link, masthead, the overview or a
 * project's page, footer. No DOM here: `main.ts` patches the tree into the document.
 * Interaction is declared with `data-action` attributes and handled by one listener in main.ts.
 */
import { formatSeconds, formatTime } from '../format.js';
import { type Lang, type Messages, messagesFor } from '../i18n.js';
import type { LoadProblem } from '../problem.js';
import { punctuation } from '../progress-model.js';
import { overviewHash } from '../route.js';
import { h, type VElement, type VNode } from '../vdom.js';
import { overviewPage } from './overview-page.js';
import { projectPage } from './project-page.js';
import type { ViewState } from './view-state.js';
import { icon } from './widgets.js';

const problemView = (problem: LoadProblem, hasData: boolean, lang: Lang): VElement => {
  const t = messagesFor(lang);
  const said = [problem.title, problem.detail].filter((part): part is string => part !== null);
  return h(
    'div',
    { class: 'alert', role: 'alert' },
    h(
      'div',
      { class: 'alert-body' },
      h(
        'p',
        { class: 'alert-title' },
        t.loadFailed,
        problem.status === null ? null : h('span', { class: 'alert-status' }, ` (HTTP ${problem.status})`),
      ),
      problem.status === null
        ? h('p', null, t.networkError)
        : said.length > 0
          ? h('p', { class: 'alert-detail' }, said.join(punctuation(lang).colon))
          : null,
      hasData ? h('p', { class: 'muted' }, t.staleData) : null,
    ),
    h('button', { type: 'button', class: 'button', 'data-action': 'retry' }, t.retry),
  );
};

const refreshView = (state: ViewState, t: Messages): VElement =>
  h(
    'p',
    { class: 'refresh-note', 'data-testid': 'updated-at' },
    state.updatedAt === null ? null : h('span', null, t.updatedAt(formatTime(state.updatedAt, state.lang))),
    h('span', { class: 'sep' }, t.refreshEvery(formatSeconds(state.refreshSeconds, state.lang))),
  );

/** The whole page: skip link, masthead, main content, footer. */
export const appView = (state: ViewState): VNode[] => {
  const t = messagesFor(state.lang);
  const hasData = state.route.view === 'project' ? state.detail !== null : state.list !== null;
  return [
    // Handled in main.ts: following #main would change the hash, which names the view.
    h('a', { class: 'skip-link', href: '#main', 'data-action': 'skip-to-main' }, t.skipToContent),
    h(
      'header',
      { class: 'masthead' },
      h(
        'div',
        { class: 'masthead-inner' },
        h(
          'a',
          { class: 'brand', href: overviewHash(null) },
          h(
            'svg',
            { class: 'emblem', viewBox: '0 0 32 32', 'aria-hidden': 'true', focusable: 'false' },
            h('rect', { x: 3, y: 3, width: 12, height: 12, rx: 2 }),
            h('rect', { x: 17, y: 3, width: 12, height: 12, rx: 2 }),
            h('rect', { x: 3, y: 17, width: 12, height: 12, rx: 2 }),
            h('rect', { x: 17, y: 17, width: 12, height: 12, rx: 2, class: 'emblem-accent' }),
          ),
          h(
            'span',
            { class: 'brand-text' },
            h('span', { class: 'brand-title' }, t.appTitle),
            h('span', { class: 'brand-subtitle' }, t.appSubtitle),
          ),
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'lang-toggle',
            'data-action': 'toggle-lang',
            lang: t.otherLanguage,
            title: t.switchLanguageHint,
          },
          icon(
            h('circle', { cx: 8, cy: 8, r: 6.2 }),
            h('path', { d: 'M1.8 8h12.4M8 1.8c2 2.2 2 10.2 0 12.4M8 1.8c-2 2.2-2 10.2 0 12.4' }),
          ),
          t.otherLanguageLabel,
        ),
      ),
    ),
    h(
      'main',
      { id: 'main', tabindex: -1 },
      h('div', { class: 'statusbar' }, refreshView(state, t)),
      state.problem ? problemView(state.problem, hasData, state.lang) : null,
      state.route.view === 'project' ? projectPage(state, state.route.projectId) : overviewPage(state),
    ),
    h(
      'footer',
      { class: 'site-footer' },
      h(
        'div',
        { class: 'footer-inner' },
        h('p', null, t.dataSource),
        h('p', null, t.timezoneNote),
        h('p', null, h('a', { href: '/openapi.json' }, t.footerApi)),
      ),
    ),
  ];
};

/** The document title for the view. */
export const documentTitle = (state: ViewState): string => {
  const t = messagesFor(state.lang);
  if (state.route.view === 'project' && state.detail) {
    return `${state.detail.project.name.zh} · ${t.appTitle}`;
  }
  return state.year === null ? t.appTitle : `${t.projectsOfYear(state.year)} · ${t.appTitle}`;
};
