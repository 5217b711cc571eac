import { describe, expect, it } from 'vitest';
import { computeProgress, emptyRegionAggregate } from '../../../../functions/domain/progress.js';
import { findAll, textOf } from '../../../../web/src/vdom.js';
import { overviewPage } from '../../../../web/src/views/overview-page.js';
import { MID_2024, projectFixture } from '../../../support/fixtures.js';
import { byClass, railWithProgress, root, viewState } from './view-fixtures.js';

const care = projectFixture('elderly-care-2024');
const careWithProgress = () => ({
  project: care,
  progress: computeProgress(care, emptyRegionAggregate(MID_2024.toISOString()), [], MID_2024),
});

describe('the overview', () => {
  it('puts the projects without a target after the others', () => {
    const page = root(
      overviewPage(viewState({ list: { year: 2024, projects: [careWithProgress(), railWithProgress()] } })),
    );
    expect(byClass(page, 'card').map((card) => card.attrs['data-project-id'])).toEqual([
      'rail-2024',
      'elderly-care-2024',
    ]);
    expect(textOf(byClass(page, 'summary')[0] ?? '')).toBe('共 2 个项目存在风险1未设目标1');
  });

  it('offers the year shown in its selector even when no list of that year has projects', () => {
    const page = root(overviewPage(viewState({ years: [2025, 2024], year: 2023, list: null })));
    const options = findAll(page, (el) => el.tag === 'option').map((option) => option.attrs.value);
    expect(options).toEqual(['2025', '2024', '2023']);
    expect(byClass(page, 'loading')).toHaveLength(1);
  });
});
