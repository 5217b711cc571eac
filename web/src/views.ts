/**
 * The page as a tree (see vdom.ts) for a given state: the overview of a year's projects and a
 * project's page with its history. No DOM here: `main.ts` patches the tree into the document.
 * Interaction is declared with `data-action` attributes and handled by one listener in main.ts.
 */
import type { CalendarDate } from '../../functions/domain/calendar.js';
import type { Milestone } from '../../functions/domain/milestone.js';
import type { ProjectProgress, ProjectStatus } from '../../functions/domain/progress.js';
import type { Project } from '../../functions/domain/project.js';
import { PROVINCE_NAMES } from '../../functions/domain/provinces.js';
import { chartView } from './chart-view.js';
import {
  formatDate,
  formatDateTime,
  formatNumber,
  formatQuantity,
  formatSeconds,
  formatTime,
  localized,
} from './format.js';
import { type Lang, type Messages, messagesFor } from './i18n.js';
import type { LoadProblem } from './problem.js';
import {
  type MeterModel,
  minimumText,
  type ProvinceRowModel,
  provinceRows,
  punctuation,
  regionModel,
  statusCounts,
  targetText,
} from './progress-model.js';
import { overviewHash, projectHash, type Route } from './route.js';
import { type Child, h, type VElement, type VNode } from './vdom.js';

export interface ProjectWithProgress {
  project: Project;
  progress: ProjectProgress;
}

export interface ProjectList {
  year: number;
  projects: ProjectWithProgress[];
}

export interface ProjectDetail extends ProjectWithProgress {
  milestones: Milestone[];
  /** More history exists than the page followed. */
  truncated: boolean;
}

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

export const MAIN_HEADING_ID = 'main-heading';

const icon = (...paths: VElement[]): VElement =>
  h(
    'svg',
    {
      class: 'icon',
      viewBox: '0 0 16 16',
      'aria-hidden': 'true',
      focusable: 'false',
      fill: 'none',
      stroke: 'currentColor',
      'stroke-width': 2,
      'stroke-linecap': 'round',
      'stroke-linejoin': 'round',
    },
    ...paths,
  );

const STATUS_ICONS: Record<ProjectStatus, () => VElement> = {
  completed: () => icon(h('path', { d: 'M3 8.5l3 3 7-7' })),
  'on-track': () => icon(h('path', { d: 'M2.5 8h10M9 4.5 12.5 8 9 11.5' })),
  'at-risk': () => icon(h('path', { d: 'M8 2 14.5 13.5h-13z' }), h('path', { d: 'M8 6.5v3M8 11.5v.01' })),
  overdue: () => icon(h('circle', { cx: 8, cy: 8, r: 6 }), h('path', { d: 'M8 4.8V8l2.2 1.6' })),
  'no-target': () => icon(h('path', { d: 'M3.5 8h9' })),
};

/** Colour and words together: the status is never told by colour alone. */
export const statusBadge = (status: ProjectStatus, t: Messages): VElement =>
  h(
    'span',
    { class: `status status--${status}`, title: t.statusHint[status] },
    STATUS_ICONS[status](),
    h('span', { class: 'status-text' }, t.status[status]),
  );

export const meterView = (
  meter: MeterModel,
  variant: 'region' | 'province' | 'share',
  tone: string,
): VElement =>
  h(
    'div',
    {
      class: `meter meter--${variant} tone--${tone}${meter.over ? ' meter--over' : ''}`,
      role: 'progressbar',
      'aria-valuemin': 0,
      'aria-valuemax': meter.valueMax,
      'aria-valuenow': meter.valueNow,
      'aria-valuetext': meter.valueText,
    },
    h('div', { class: 'meter-fill', style: { '--fill': `${meter.fill}%` } }),
    meter.planned === null
      ? null
      : h('div', { class: 'meter-planned', 'aria-hidden': 'true', style: { '--at': `${meter.planned}%` } }),
  );

const provinceRowView = (row: ProvinceRowModel, t: Messages, tone: string): VElement =>
  h(
    'li',
    { class: `province${row.lastReport.overdue ? ' province--overdue' : ''}`, key: row.province },
    h(
      'div',
      { class: 'province-head' },
      h('span', { class: 'province-name' }, row.name),
      h(
        'span',
        { class: 'province-figure' },
        row.basis === 'target' ? row.figureText : row.valueText,
        row.meter && row.basis === 'target'
          ? h('span', { class: 'province-percent' }, row.meter.percentText)
          : null,
        row.basis === 'share' ? h('span', { class: 'province-share' }, row.figureText) : null,
      ),
    ),
    row.meter ? meterView(row.meter, row.basis === 'share' ? 'share' : 'province', tone) : null,
    h(
      'p',
      { class: 'province-last' },
      row.lastReport.asOfText === null
        ? h('span', { class: 'muted' }, t.neverReported)
        : [
            h('span', null, row.lastReport.asOfText),
            row.lastReport.agoText ? h('span', { class: 'sep' }, row.lastReport.agoText) : null,
          ],
      row.lastReport.overdueText
        ? h(
            'span',
            { class: 'overdue-flag' },
            icon(h('path', { d: 'M8 2 14.5 13.5h-13z' }), h('path', { d: 'M8 6.5v3M8 11.5v.01' })),
            row.lastReport.overdueText,
          )
        : null,
    ),
  );

const toneOf = (progress: ProjectProgress): string => progress.status;

const regionView = (entry: ProjectWithProgress, lang: Lang, headingLevel: 'h3' | 'h2'): VElement => {
  const { project, progress } = entry;
  const t = messagesFor(lang);
  const region = regionModel(project, progress, lang);
  const target = progress.target === null ? null : formatQuantity(progress.target, project.unit, lang);
  return h(
    'div',
    { class: 'region' },
    h(
      'div',
      { class: 'region-figures' },
      h(headingLevel, { class: 'region-label' }, region.label),
      h(
        'p',
        { class: 'region-numbers' },
        h('strong', { class: 'headline', 'data-testid': 'region-headline' }, region.headline),
        project.aggregation === 'sum' && target !== null
          ? h('span', { class: 'of-target' }, ` / ${minimumText(target, project.targetIsMinimum, lang)}`)
          : null,
        region.meter && project.aggregation === 'sum'
          ? h('span', { class: 'region-percent' }, region.meter.percentText)
          : null,
      ),
    ),
    region.meter ? meterView(region.meter, 'region', toneOf(progress)) : null,
    h(
      'p',
      { class: 'region-notes' },
      region.meter === null ? h('span', null, t.statusHint['no-target']) : null,
      region.plannedText
        ? h(
            'span',
            { class: 'planned-key' },
            h('span', { class: 'planned-swatch', 'aria-hidden': 'true' }),
            region.plannedText,
          )
        : null,
      region.overText ? h('span', { class: 'over-note' }, region.overText) : null,
    ),
    region.ruleText ? h('p', { class: 'rule' }, region.ruleText) : null,
  );
};

const provincesView = (entry: ProjectWithProgress, lang: Lang, headingLevel: 'h3' | 'h2'): VElement => {
  const t = messagesFor(lang);
  const rows = provinceRows(entry.project, entry.progress, lang);
  return h(
    'div',
    { class: 'provinces' },
    h(headingLevel, { class: 'provinces-heading' }, t.provinceProgress),
    h(
      'ul',
      { class: 'province-list' },
      rows.map((row) =>
        provinceRowView(
          row,
          t,
          row.meter?.over || (row.meter?.percent ?? 0) >= 100 ? 'completed' : 'neutral',
        ),
      ),
    ),
  );
};

const metricLine = (project: Project, lang: Lang): VElement => {
  const t = messagesFor(lang);
  const metric = project.metric ? localized(project.metric, lang) : t.metricNotSet;
  const target = targetText(project, lang) ?? t.noTarget;
  return h('p', { class: 'metric' }, h('span', null, metric), h('span', { class: 'sep' }, target));
};

const names = (project: Project, heading: 'h1' | 'h2', id: string, link: boolean): VNode[] => [
  h(
    heading,
    { class: 'project-name', id, lang: 'zh-CN', ...(heading === 'h1' ? { tabindex: -1 } : {}) },
    link
      ? h('a', { href: projectHash(project.id), class: 'project-link' }, project.name.zh)
      : project.name.zh,
  ),
  h('p', { class: 'project-name-en', lang: 'en' }, project.name.en),
];

export const projectCard = (entry: ProjectWithProgress, lang: Lang): VElement => {
  const { project, progress } = entry;
  const t = messagesFor(lang);
  const nameId = `project-${project.id}-name`;
  return h(
    'article',
    {
      class: `card tone--${progress.status}`,
      key: project.id,
      'aria-labelledby': nameId,
      'data-project-id': project.id,
    },
    h(
      'header',
      { class: 'card-head' },
      h('div', { class: 'card-names' }, names(project, 'h2', nameId, true)),
      statusBadge(progress.status, t),
    ),
    metricLine(project, lang),
    regionView(entry, lang, 'h3'),
    provincesView(entry, lang, 'h3'),
    h(
      'p',
      { class: 'card-foot' },
      h(
        'a',
        { href: projectHash(project.id), class: 'more-link', 'aria-label': t.detailsFor(project.name.zh) },
        t.viewDetails,
        h('span', { 'aria-hidden': 'true' }, ' →'),
      ),
    ),
  );
};

const yearSelect = (state: ViewState, t: Messages): VElement | null => {
  if (state.years.length === 0 || state.year === null) return null;
  const years = state.years.includes(state.year)
    ? state.years
    : [state.year, ...state.years].sort((a, b) => b - a);
  return h(
    'div',
    { class: 'year-picker' },
    h('label', { for: 'year-select' }, t.year),
    h(
      'select',
      { id: 'year-select', 'data-action': 'select-year', value: String(state.year) },
      years.map((year) => h('option', { value: String(year), key: String(year) }, t.yearOption(year))),
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

const overviewView = (state: ViewState): Child[] => {
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
            // Projects without a target say least at a glance: after the others, otherwise in the API's order.
            [...list.projects]
              .sort((a, b) => Number(a.project.target === null) - Number(b.project.target === null))
              .map((entry) => projectCard(entry, state.lang)),
          ),
  ];
};

const reportItem = (m: Milestone, project: Project, lang: Lang): VElement => {
  const t = messagesFor(lang);
  const value = formatQuantity(m.value, project.unit, lang);
  const previous =
    m.kind === 'correction' && m.previousValue !== null
      ? formatQuantity(m.previousValue, project.unit, lang)
      : null;
  return h(
    'li',
    { class: `report report--${m.kind}`, key: m.id },
    h(
      'div',
      { class: 'report-head' },
      h('span', { class: `kind kind--${m.kind}`, title: t.kindHint[m.kind] }, t.kind[m.kind]),
      h('strong', { class: 'report-province' }, localized(PROVINCE_NAMES[m.province], lang)),
      h(
        'span',
        { class: 'report-value' },
        previous ? h('del', { class: 'previous', title: t.previousValue }, previous) : null,
        previous ? h('span', { 'aria-hidden': 'true' }, ' → ') : null,
        value,
      ),
      h('span', { class: 'report-date' }, t.asOf(formatDate(m.asOf, lang))),
    ),
    m.kind === 'backfill' ? h('p', { class: 'report-hint' }, t.kindHint.backfill) : null,
    m.correctionReason
      ? h(
          'p',
          { class: 'report-reason' },
          h('span', { class: 'field' }, `${t.correctionReason}${punctuation(lang).colon}`),
          m.correctionReason,
        )
      : null,
    m.note
      ? h(
          'p',
          { class: 'report-note' },
          h('span', { class: 'field' }, `${t.note}${punctuation(lang).colon}`),
          m.note,
        )
      : null,
    m.evidenceUrl
      ? h(
          'p',
          { class: 'report-evidence' },
          h('a', { href: m.evidenceUrl, rel: 'noopener noreferrer nofollow', target: '_blank' }, t.evidence),
        )
      : null,
    h('p', { class: 'report-meta' }, t.recordedAt(formatDateTime(m.recordedAt, lang), m.recordedBy.username)),
  );
};

const factsView = ({ project, progress }: ProjectWithProgress, lang: Lang): VElement => {
  const t = messagesFor(lang);
  const fact = (term: string, value: string) => [h('dt', null, term), h('dd', null, value)];
  return h(
    'dl',
    { class: 'facts', 'aria-label': t.facts },
    fact(t.period, t.periodValue(formatDate(project.startDate, lang), formatDate(project.deadline, lang))),
    fact(t.aggregation, t.aggregationValue[project.aggregation]),
    fact(t.reporting, t.reportingValue(formatNumber(project.reportingIntervalDays, lang))),
    project.target === null
      ? null
      : fact(t.tolerance, t.toleranceValue(formatNumber(project.atRiskTolerancePoints, lang))),
    progress.lastReportedAt === null
      ? null
      : fact(t.lastReport, formatDateTime(progress.lastReportedAt, lang)),
  );
};

const projectView = (state: ViewState, projectId: string): Child[] => {
  const t = messagesFor(state.lang);
  const detail = state.detail !== null && state.detail.project.id === projectId ? state.detail : null;
  const back = h(
    'nav',
    { class: 'crumbs', 'aria-label': t.backToOverview },
    h(
      'a',
      { href: yearHash(detail?.project.year ?? state.year, state), class: 'back-link' },
      h('span', { 'aria-hidden': 'true' }, '← '),
      t.backToOverview,
    ),
  );
  if (detail === null) {
    return [
      back,
      state.notFound
        ? h('h1', { id: MAIN_HEADING_ID, tabindex: -1 }, t.projectNotFound)
        : h('p', { class: 'loading', role: 'status' }, t.loading),
    ];
  }
  const { project, progress, milestones } = detail;
  const csv = `/projects/${encodeURIComponent(project.id)}/milestones?format=csv`;
  return [
    back,
    h(
      'article',
      { class: `project tone--${progress.status}`, 'aria-labelledby': MAIN_HEADING_ID },
      h(
        'header',
        { class: 'card-head project-head' },
        h('div', { class: 'card-names' }, names(project, 'h1', MAIN_HEADING_ID, false)),
        statusBadge(progress.status, t),
      ),
      metricLine(project, state.lang),
      h(
        'div',
        { class: 'project-progress' },
        h(
          'div',
          { class: 'project-summary' },
          regionView(detail, state.lang, 'h2'),
          factsView(detail, state.lang),
        ),
        provincesView(detail, state.lang, 'h2'),
      ),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'history-heading' },
        h('h2', { id: 'history-heading' }, t.history),
        chartView(project, milestones, state),
      ),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'reports-heading' },
        h(
          'div',
          { class: 'panel-head' },
          h(
            'h2',
            { id: 'reports-heading' },
            t.reports,
            h('span', { class: 'count' }, t.reportsCount(milestones.length)),
          ),
          h(
            'a',
            {
              href: csv,
              class: 'button',
              download: `${project.id}-milestones.csv`,
              'data-testid': 'csv-link',
            },
            icon(h('path', { d: 'M8 2v8M4.5 6.5 8 10l3.5-3.5M2.5 13.5h11' })),
            t.downloadCsv,
          ),
        ),
        milestones.length === 0
          ? h('p', { class: 'empty' }, t.noHistory)
          : h(
              'ol',
              { class: 'reports' },
              milestones.map((m) => reportItem(m, project, state.lang)),
            ),
        detail.truncated ? h('p', { class: 'note' }, t.truncated(milestones.length)) : null,
      ),
    ),
  ];
};

const yearHash = (year: number | null, state: ViewState): string =>
  overviewHash(year === state.defaultYear ? null : year);

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
      state.route.view === 'project' ? projectView(state, state.route.projectId) : overviewView(state),
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
