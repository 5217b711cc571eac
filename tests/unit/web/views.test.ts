import { describe, expect, it } from 'vitest';
import {
  decideMilestone,
  type Milestone,
  type MilestoneReport,
  type ProvinceState,
} from '../../../functions/domain/milestone.js';
import { computeProgress } from '../../../functions/domain/progress.js';
import { findAll, textOf, type VElement } from '../../../web/src/vdom.js';
import { appView, projectCard, type ViewState } from '../../../web/src/views.js';
import { callerFixture, MID_2024, projectFixture, provinceState } from '../../support/fixtures.js';

const rail = projectFixture('rail-2024');
const railWithProgress = () =>
  ({
    project: rail,
    progress: computeProgress(
      rail,
      { total: 210, provinceValues: { jiangsu: 210 }, version: 1, updatedAt: MID_2024.toISOString() },
      [provinceState('jiangsu', 210, '2024-06-30')],
      MID_2024,
    ),
  }) as const;

const byClass = (tree: VElement, name: string) =>
  findAll(tree, (el) =>
    String(el.attrs.class ?? '')
      .split(' ')
      .includes(name),
  );

/** Jiangsu's reports as the API returns them, newest first: a report, a correction, a backfill. */
const history = (): Milestone[] => {
  const decide = (current: ProvinceState | null, report: MilestoneReport, id: string) =>
    decideMilestone({
      project: rail,
      province: 'jiangsu',
      current,
      report,
      caller: callerFixture('jiangsu'),
      milestoneId: id,
      now: MID_2024,
    });
  const first = decide(null, { value: 210, asOf: '2024-06-20' }, 'm1');
  const correction = decide(
    first.next,
    { value: 200, asOf: '2024-06-25', correctionReason: '口径调整' },
    'm2',
  );
  const backfill = decide(correction.next, { value: 120, asOf: '2024-03-31' }, 'm3');
  return [correction.milestone, first.milestone, backfill.milestone];
};

const state = (changes: Partial<ViewState>): ViewState => ({
  lang: 'zh-CN',
  route: { view: 'overview', year: null },
  refreshSeconds: 30,
  years: [2024],
  year: 2024,
  defaultYear: 2024,
  list: { year: 2024, projects: [railWithProgress()] },
  detail: null,
  notFound: false,
  problem: null,
  updatedAt: new Date('2024-06-30T06:00:00Z'),
  today: '2024-06-30',
  chartWidth: 800,
  ...changes,
});

describe('a project’s card', () => {
  it('names the project in Chinese first, with the English name marked as English', () => {
    const card = projectCard(railWithProgress(), 'en');
    const [heading] = findAll(card, (el) => el.tag === 'h2');
    expect(heading?.attrs.lang).toBe('zh-CN');
    expect(textOf(heading as VElement)).toBe('建设轨道上的长三角');
    expect(byClass(card, 'project-name-en')[0]?.attrs.lang).toBe('en');
  });

  it('gives every bar, the region’s and the provinces’, the progressbar role with its value in words', () => {
    const card = projectCard(railWithProgress(), 'zh-CN');
    const bars = findAll(card, (el) => el.attrs.role === 'progressbar');
    expect(bars).toHaveLength(5);
    expect(bars[0]?.attrs).toMatchObject({
      'aria-valuemin': 0,
      'aria-valuemax': 100,
      'aria-valuenow': 31.8,
      'aria-valuetext': '区域合计：210公里 / 660公里，31.8%',
    });
  });

  it('states the status in words as well as in colour', () => {
    const [status] = byClass(projectCard(railWithProgress(), 'zh-CN'), 'status');
    expect(textOf(status as VElement)).toBe('存在风险');
    expect(status?.attrs.class).toContain('status--at-risk');
  });

  it('marks the provinces whose report is overdue', () => {
    const card = projectCard(railWithProgress(), 'en');
    const overdue = byClass(card, 'overdue-flag').map((flag) => textOf(flag));
    expect(overdue).toEqual(['Report overdue', 'Report overdue', 'Report overdue']);
  });
});

describe('the project page', () => {
  const page = (lang: 'zh-CN' | 'en') =>
    findAll(
      {
        tag: 'root',
        attrs: {},
        style: {},
        key: undefined,
        children: appView(
          state({
            lang,
            route: { view: 'project', projectId: 'rail-2024' },
            detail: { ...railWithProgress(), milestones: history(), truncated: false },
          }),
        ),
      },
      (el) => el.tag === 'main',
    )[0] as VElement;

  it('lists the reports newest first, marking corrections with their reason and backfills', () => {
    const reports = byClass(page('zh-CN'), 'report');
    expect(reports.map((r) => r.attrs.class)).toEqual([
      'report report--correction',
      'report report--report',
      'report report--backfill',
    ]);
    expect(textOf(reports[0] as VElement)).toContain('更正原因：口径调整');
    expect(textOf(reports[0] as VElement)).toContain('210公里 → 200公里');
    expect(textOf(reports[2] as VElement)).toContain('补录');
  });

  it('draws the history with an accessible name and a table of the same data', () => {
    const main = page('en');
    const [svg] = findAll(main, (el) => el.tag === 'svg' && el.attrs.role === 'img');
    expect(svg?.attrs['aria-labelledby']).toBe('chart-title chart-desc');
    expect(textOf(findAll(svg as VElement, (el) => el.tag === 'title')[0] as VElement)).toContain(
      '建设轨道上的长三角',
    );
    const rows = findAll(main, (el) => el.tag === 'tbody')[0]?.children ?? [];
    expect(rows.map((row) => textOf(row))).toEqual([
      'Jun 25, 2024200200',
      'Jun 20, 2024210210',
      'Mar 31, 2024120120',
    ]);
  });

  it('links to the history as CSV', () => {
    const [link] = findAll(page('en'), (el) => el.attrs['data-testid'] === 'csv-link');
    expect(link?.attrs.href).toBe('/projects/rail-2024/milestones?format=csv');
    expect(textOf(link as VElement)).toBe('Download CSV');
  });
});

describe('the page frame', () => {
  it('has a skip link, a banner, a main region and a footer', () => {
    const tags = appView(state({})).map((node) => (typeof node === 'string' ? node : node.tag));
    expect(tags).toEqual(['a', 'header', 'main', 'footer']);
  });

  it('shows the API’s problem in an alert', () => {
    const frame = appView(
      state({ problem: { status: 503, title: 'Service unavailable', detail: 'Retry later.' } }),
    );
    const [alert] = frame.flatMap((node) =>
      typeof node === 'string' ? [] : findAll(node, (el) => el.attrs.role === 'alert'),
    );
    expect(textOf(alert as VElement)).toContain('Service unavailable：Retry later.');
    expect(textOf(alert as VElement)).toContain('HTTP 503');
  });
});
