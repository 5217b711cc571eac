/**
 * A project's page: what its card shows, its facts, the history as a chart and a table, and
 * every report, newest first, with a link to the same history as CSV.
 */
import type { Milestone } from '../../../functions/domain/milestone.js';
import type { Project } from '../../../functions/domain/project.js';
import { PROVINCE_NAMES } from '../../../functions/domain/provinces.js';
import type { ProjectDetail, ProjectWithProgress } from '../api-data.js';
import { chartView } from '../chart-view.js';
import { formatDate, formatDateTime, formatNumber, formatQuantity, localized } from '../format.js';
import { type Lang, messagesFor } from '../i18n.js';
import { projectTone, punctuation } from '../progress-model.js';
import { yearHash } from '../route.js';
import { type Child, h, type VElement } from '../vdom.js';
import { MAIN_HEADING_ID, type ViewState } from './view-state.js';
import { icon, metricLine, projectNames, provincesView, regionView, statusBadge } from './widgets.js';

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

/** Every report, newest first, with the history as CSV to download. */
const reportsPanel = ({ project, milestones, truncated }: ProjectDetail, lang: Lang): VElement => {
  const t = messagesFor(lang);
  const csv = `/projects/${encodeURIComponent(project.id)}/milestones?format=csv`;
  return h(
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
          milestones.map((m) => reportItem(m, project, lang)),
        ),
    truncated ? h('p', { class: 'note' }, t.truncated(milestones.length)) : null,
  );
};

export const projectPage = (state: ViewState, projectId: string): Child[] => {
  const t = messagesFor(state.lang);
  const detail = state.detail !== null && state.detail.project.id === projectId ? state.detail : null;
  const back = h(
    'nav',
    { class: 'crumbs', 'aria-label': t.backToOverview },
    h(
      'a',
      { href: yearHash(detail?.project.year ?? state.year, state.defaultYear), class: 'back-link' },
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
  return [
    back,
    h(
      'article',
      { class: `project tone--${projectTone(progress)}`, 'aria-labelledby': MAIN_HEADING_ID },
      h(
        'header',
        { class: 'card-head project-head' },
        h('div', { class: 'card-names' }, projectNames(project, 'h1', MAIN_HEADING_ID, false)),
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
      reportsPanel(detail, state.lang),
    ),
  ];
};
