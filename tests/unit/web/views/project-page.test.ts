import { describe, expect, it } from 'vitest';
import {
  decideMilestone,
  type Milestone,
  type MilestoneReport,
  type ProvinceState,
} from '../../../../functions/domain/milestone.js';
import { findAll, textOf, type VElement } from '../../../../web/src/vdom.js';
import { projectPage } from '../../../../web/src/views/project-page.js';
import { callerFixture, MID_2024 } from '../../../support/fixtures.js';
import { byClass, rail, railWithProgress, root, viewState } from './view-fixtures.js';

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

const page = (lang: 'zh-CN' | 'en') =>
  root(
    projectPage(
      viewState({
        lang,
        route: { view: 'project', projectId: 'rail-2024' },
        detail: { ...railWithProgress(), milestones: history(), truncated: false },
      }),
      'rail-2024',
    ),
  );

describe('the project page', () => {
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
