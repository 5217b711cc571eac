/**
 * The history chart drawn as SVG (no chart library): a step line per province, the region total
 * for `sum` projects, the target and the planned pace; then a legend, and the same data in a
 * table. Each line has its own marker shape as well as its own colour.
 */
import type { CalendarDate } from '../../functions/domain/calendar.js';
import type { Milestone } from '../../functions/domain/milestone.js';
import type { Project } from '../../functions/domain/project.js';
import { PROVINCE_NAMES } from '../../functions/domain/provinces.js';
import {
  type ChartGeometry,
  type ChartSeries,
  chartGeometry,
  chartRows,
  chartSeries,
  type SeriesKey,
  stepPath,
} from './chart-model.js';
import { formatDate, formatMonth, formatNumber, formatQuantity, localized } from './format.js';
import { type Lang, messagesFor } from './i18n.js';
import { minimumText } from './progress-model.js';
import { h, type VElement } from './vdom.js';

type Marker = 'circle' | 'square' | 'triangle' | 'diamond' | 'none';

export const SERIES_MARKERS: Readonly<Record<SeriesKey, Marker>> = {
  shanghai: 'circle',
  jiangsu: 'square',
  zhejiang: 'triangle',
  anhui: 'diamond',
  region: 'none',
};

const marker = (shape: Marker, x: number, y: number, size = 4.5): VElement | null => {
  switch (shape) {
    case 'circle':
      return h('circle', { cx: x, cy: y, r: size });
    case 'square':
      return h('rect', { x: x - size, y: y - size, width: size * 2, height: size * 2 });
    case 'triangle':
      return h('path', { d: `M${x} ${y - size - 1}L${x + size + 1} ${y + size}H${x - size - 1}Z` });
    case 'diamond':
      return h('path', {
        d: `M${x} ${y - size - 1}L${x + size + 1} ${y}L${x} ${y + size + 1}L${x - size - 1} ${y}Z`,
      });
    case 'none':
      return null;
  }
};

const seriesName = (key: SeriesKey, lang: Lang): string =>
  key === 'region' ? messagesFor(lang).regionTotal : localized(PROVINCE_NAMES[key], lang);

/** Approximate width of a tick label in the chart's 12 px font. */
const labelWidth = (lang: Lang) => (value: number) => formatNumber(value, lang).length * 7;

const axes = (g: ChartGeometry, lang: Lang): VElement[] => [
  h(
    'g',
    { class: 'chart-grid' },
    g.yTicks.map((value) =>
      h(
        'g',
        { key: `y${value}` },
        h('line', { x1: g.plot.left, x2: g.plot.right, y1: g.y(value), y2: g.y(value) }),
        h(
          'text',
          { x: g.plot.left - 8, y: g.y(value), dy: '0.32em', 'text-anchor': 'end' },
          formatNumber(value, lang),
        ),
      ),
    ),
  ),
  h(
    'g',
    { class: 'chart-axis' },
    h('line', { x1: g.plot.left, x2: g.plot.right, y1: g.plot.bottom, y2: g.plot.bottom }),
    g.xTicks.map((date) =>
      h(
        'g',
        { key: `x${date}` },
        h('line', { x1: g.x(date), x2: g.x(date), y1: g.plot.bottom, y2: g.plot.bottom + 5 }),
        h('text', { x: g.x(date), y: g.plot.bottom + 20, 'text-anchor': 'middle' }, formatMonth(date, lang)),
      ),
    ),
  ),
];

const referenceLines = (project: Project, g: ChartGeometry, lang: Lang): VElement[] => {
  const t = messagesFor(lang);
  if (project.target === null) return [];
  const y = g.y(project.target);
  const target = formatQuantity(project.target, project.unit, lang);
  return [
    h('line', {
      class: 'chart-planned',
      x1: g.x(project.startDate),
      y1: g.y(0),
      x2: g.x(project.deadline),
      y2: y,
    }),
    h('line', { class: 'chart-target', x1: g.plot.left, x2: g.plot.right, y1: y, y2: y }),
    h(
      'text',
      { class: 'chart-target-label', x: g.plot.left + 6, y: y - 6 },
      `${t.targetLine} ${minimumText(target, project.targetIsMinimum, lang)}`,
    ),
  ];
};

const seriesView = (series: ChartSeries, g: ChartGeometry, lang: Lang): VElement =>
  h(
    'g',
    { class: `series series--${series.key}`, key: series.key, 'data-series': series.key },
    h('path', { class: 'series-line', d: stepPath(series.points, g) }),
    h('title', null, seriesName(series.key, lang)),
    series.points.map((point) => marker(SERIES_MARKERS[series.key], g.x(point.date), g.y(point.value))),
  );

const legend = (project: Project, series: readonly ChartSeries[], lang: Lang): VElement => {
  const t = messagesFor(lang);
  const swatch = (key: SeriesKey) =>
    h(
      'svg',
      { class: `swatch series--${key}`, viewBox: '0 0 28 12', 'aria-hidden': 'true', focusable: 'false' },
      h('path', { class: 'series-line', d: 'M1 6H27' }),
      marker(SERIES_MARKERS[key], 14, 6, 3.5),
    );
  return h(
    'ul',
    { class: 'legend' },
    series.map((s) => h('li', { key: s.key }, swatch(s.key), seriesName(s.key, lang))),
    project.target === null
      ? null
      : [
          h(
            'li',
            { key: 'target' },
            h(
              'svg',
              { class: 'swatch', viewBox: '0 0 28 12', 'aria-hidden': 'true', focusable: 'false' },
              h('line', { class: 'chart-target', x1: 1, x2: 27, y1: 6, y2: 6 }),
            ),
            t.targetLine,
          ),
          h(
            'li',
            { key: 'planned' },
            h(
              'svg',
              { class: 'swatch', viewBox: '0 0 28 12', 'aria-hidden': 'true', focusable: 'false' },
              h('line', { class: 'chart-planned', x1: 1, x2: 27, y1: 10, y2: 2 }),
            ),
            t.plannedLine,
          ),
        ],
  );
};

const dataTable = (project: Project, series: readonly ChartSeries[], lang: Lang): VElement => {
  const t = messagesFor(lang);
  const rows = chartRows(series).reverse();
  return h(
    'div',
    { class: 'table-scroll', role: 'region', 'aria-labelledby': 'chart-table-caption', tabindex: 0 },
    h(
      'table',
      { class: 'data-table', 'data-testid': 'chart-table' },
      h(
        'caption',
        { id: 'chart-table-caption' },
        t.chartTable,
        project.unit ? h('span', { class: 'muted' }, ` (${localized(project.unit, lang)})`) : null,
      ),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, t.chartTableDate),
          series.map((s) => h('th', { scope: 'col', key: s.key }, seriesName(s.key, lang))),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((row) =>
          h(
            'tr',
            { key: row.date },
            h('th', { scope: 'row' }, formatDate(row.date, lang)),
            series.map((s) => {
              const value = row.values[s.key];
              return h(
                'td',
                { key: s.key },
                value === null || value === undefined ? '–' : formatNumber(value, lang),
              );
            }),
          ),
        ),
      ),
    ),
  );
};

export interface ChartViewInput {
  lang: Lang;
  today: CalendarDate;
  chartWidth: number;
}

export const chartView = (
  project: Project,
  milestones: readonly Milestone[],
  input: ChartViewInput,
): VElement => {
  const { lang } = input;
  const t = messagesFor(lang);
  const series = chartSeries(project, milestones);
  if (series.length === 0) return h('p', { class: 'empty' }, t.noHistory);
  const g = chartGeometry({
    project,
    series,
    today: input.today,
    width: Math.max(280, Math.round(input.chartWidth)),
    labelWidth: labelWidth(lang),
  });
  const target = project.target === null ? null : formatQuantity(project.target, project.unit, lang);
  return h(
    'div',
    { class: 'chart-block' },
    h(
      'figure',
      { class: 'chart' },
      h(
        'svg',
        {
          class: 'chart-svg',
          viewBox: `0 0 ${g.width} ${g.height}`,
          width: g.width,
          height: g.height,
          role: 'img',
          'aria-labelledby': 'chart-title chart-desc',
          'data-testid': 'history-chart',
        },
        h('title', { id: 'chart-title' }, t.chartTitle(project.name.zh)),
        h('desc', { id: 'chart-desc' }, t.chartDescription(target)),
        axes(g, lang),
        referenceLines(project, g, lang),
        // The region total underneath, so the provinces' lines stay visible where they coincide.
        [...series].reverse().map((s) => seriesView(s, g, lang)),
      ),
      h('figcaption', null, legend(project, series, lang)),
    ),
    dataTable(project, series, lang),
  );
};
