/** A year's projects: the year selector, how many projects are in each status, and their cards. */
import type { ProjectList } from '../api-data.js';
import { type Messages, messagesFor } from '../i18n.js';
import { cardOrder, statusCounts } from '../progress-model.js';
import { yearOptions } from '../route.js';
import { type Child, h, type VElement } from '../vdom.js';
import { projectCard } from './project-card.js';
import { MAIN_HEADING_ID, type ViewState } from './view-state.js';
import { statusBadge } from './widgets.js';

const yearSelect = (state: ViewState, t: Messages): VElement | null => {
  if (state.years.length === 0 || state.year === null) return null;
  return h(
    'div',
    { class: 'year-picker' },
    h('label', { for: 'year-select' }, t.year),
    h(
      'select',
      { id: 'year-select', 'data-action': 'select-year', value: String(state.year) },
      yearOptions(state.years, state.year).map((year) =>
        h('option', { value: String(year), key: String(year) }, t.yearOption(year)),
      ),
    ),
  );
};

const summaryView = (list: ProjectList, t: Messages): VElement =>
  h(
    'ul',
    { class: 'summary', 'aria-label': t.projectCount(list.projects.length) },
    h('li', { class: 'summary-total' }, t.projectCount(list.projects.length)),
    statusCounts(list.projects.map((p) => p.progress)).map(({ status, count }) =>
      h('li', { key: status }, statusBadge(status, t), h('span', { class: 'summary-count' }, String(count))),
    ),
  );

export const overviewPage = (state: ViewState): Child[] => {
  const t = messagesFor(state.lang);
  const list = state.list !== null && state.list.year === state.year ? state.list : null;
  return [
    h(
      'div',
      { class: 'page-head' },
      h(
        'h1',
        { id: MAIN_HEADING_ID, tabindex: -1 },
        state.year === null ? t.appTitle : t.projectsOfYear(state.year),
      ),
      yearSelect(state, t),
    ),
    list ? summaryView(list, t) : null,
    list === null
      ? state.problem
        ? null
        : h('p', { class: 'loading', role: 'status' }, t.loading)
      : list.projects.length === 0
        ? h('p', { class: 'empty' }, t.noProjects(list.year))
        : h(
            'div',
            { class: 'cards' },
            cardOrder(list.projects).map((entry) => projectCard(entry, state.lang)),
          ),
  ];
};
