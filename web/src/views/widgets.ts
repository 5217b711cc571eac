/**
 * The pieces the overview's cards and the project page share: icons, the status badge, the
 * progress bars, and a project's names, metric, region and provinces. Heading levels are given,
 * since the same piece sits under an h2 on a card and under the h1 on the project page.
 */
import type { ProjectStatus } from '../../../functions/domain/progress.js';
import type { Project } from '../../../functions/domain/project.js';
import type { ProjectWithProgress } from '../api-data.js';
import { localized } from '../format.js';
import { type Lang, type Messages, messagesFor } from '../i18n.js';
import {
  type MeterModel,
  type ProvinceRowModel,
  projectTone,
  provinceRows,
  provinceTone,
  regionModel,
  type Tone,
  targetText,
} from '../progress-model.js';
import { projectHash } from '../route.js';
import { h, type VElement, type VNode } from '../vdom.js';

export const icon = (...paths: VElement[]): VElement =>
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

/** A triangle with an exclamation mark: a project at risk, a province's overdue report. */
const warningIcon = (): VElement =>
  icon(h('path', { d: 'M8 2 14.5 13.5h-13z' }), h('path', { d: 'M8 6.5v3M8 11.5v.01' }));

const STATUS_ICONS: Record<ProjectStatus, () => VElement> = {
  completed: () => icon(h('path', { d: 'M3 8.5l3 3 7-7' })),
  'on-track': () => icon(h('path', { d: 'M2.5 8h10M9 4.5 12.5 8 9 11.5' })),
  'at-risk': warningIcon,
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
  tone: Tone,
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

/** The Chinese name as the heading (a link on a card), the English name under it. */
export const projectNames = (project: Project, heading: 'h1' | 'h2', id: string, link: boolean): VNode[] => [
  h(
    heading,
    { class: 'project-name', id, lang: 'zh-CN', ...(heading === 'h1' ? { tabindex: -1 } : {}) },
    link
      ? h('a', { href: projectHash(project.id), class: 'project-link' }, project.name.zh)
      : project.name.zh,
  ),
  h('p', { class: 'project-name-en', lang: 'en' }, project.name.en),
];

export const metricLine = (project: Project, lang: Lang): VElement => {
  const t = messagesFor(lang);
  const metric = project.metric ? localized(project.metric, lang) : t.metricNotSet;
  const target = targetText(project, lang) ?? t.noTarget;
  return h('p', { class: 'metric' }, h('span', null, metric), h('span', { class: 'sep' }, target));
};

/** A part of a project shown on its card (headed by h3s) and on its page (headed by h2s). */
type ProjectPart = (entry: ProjectWithProgress, lang: Lang, headingLevel: 'h3' | 'h2') => VElement;

export const regionView: ProjectPart = ({ project, progress }, lang, headingLevel) => {
  const t = messagesFor(lang);
  const region = regionModel(project, progress, lang);
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
        region.ofTargetText === null ? null : h('span', { class: 'of-target' }, ` / ${region.ofTargetText}`),
        region.percentText === null ? null : h('span', { class: 'region-percent' }, region.percentText),
      ),
    ),
    region.meter ? meterView(region.meter, 'region', projectTone(progress)) : null,
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

const provinceRowView = (row: ProvinceRowModel, t: Messages): VElement =>
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
    row.meter
      ? meterView(row.meter, row.basis === 'share' ? 'share' : 'province', provinceTone(row.meter))
      : null,
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
        ? h('span', { class: 'overdue-flag' }, warningIcon(), row.lastReport.overdueText)
        : null,
    ),
  );

export const provincesView: ProjectPart = ({ project, progress }, lang, headingLevel) => {
  const t = messagesFor(lang);
  return h(
    'div',
    { class: 'provinces' },
    h(headingLevel, { class: 'provinces-heading' }, t.provinceProgress),
    h(
      'ul',
      { class: 'province-list' },
      provinceRows(project, progress, lang).map((row) => provinceRowView(row, t)),
    ),
  );
};
