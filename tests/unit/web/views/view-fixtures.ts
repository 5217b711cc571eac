/** The state and trees the view tests share: the rail project in mid-2024, as the API returns it. */
import { computeProgress } from '../../../../functions/domain/progress.js';
import type { ProjectWithProgress } from '../../../../web/src/api-data.js';
import { type Child, findAll, h, type VElement } from '../../../../web/src/vdom.js';
import type { ViewState } from '../../../../web/src/views/view-state.js';
import { MID_2024, projectFixture, provinceState } from '../../../support/fixtures.js';

export const rail = projectFixture('rail-2024');

/** Only Jiangsu has reported, today: 210 of 660 km, behind the planned pace. */
export const railWithProgress = (): ProjectWithProgress => ({
  project: rail,
  progress: computeProgress(
    rail,
    { total: 210, provinceValues: { jiangsu: 210 }, version: 1, updatedAt: MID_2024.toISOString() },
    [provinceState('jiangsu', 210, '2024-06-30')],
    MID_2024,
  ),
});

/** Every element whose class list has `name`. */
export const byClass = (tree: VElement, name: string): VElement[] =>
  findAll(tree, (el) =>
    String(el.attrs.class ?? '')
      .split(' ')
      .includes(name),
  );

/** Several nodes under one root, to search them as one tree. */
export const root = (...children: Child[]): VElement => h('root', null, ...children);

export const viewState = (changes: Partial<ViewState>): ViewState => ({
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
