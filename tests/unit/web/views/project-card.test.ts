import { describe, expect, it } from 'vitest';
import { computeProgress } from '../../../../functions/domain/progress.js';
import { findAll, textOf, type VElement } from '../../../../web/src/vdom.js';
import { projectCard } from '../../../../web/src/views/project-card.js';
import { MID_2024, provinceState } from '../../../support/fixtures.js';
import { byClass, rail, railWithProgress } from './view-fixtures.js';

/**
 * Two provinces within their 30-day interval (Shanghai 10 days ago, Jiangsu today), two overdue:
 * Zhejiang last reported 46 days ago, Anhui never since the project started.
 */
const railPartlyOverdue = () => ({
  project: rail,
  progress: computeProgress(
    rail,
    {
      total: 330,
      provinceValues: { shanghai: 40, jiangsu: 210, zhejiang: 80 },
      version: 3,
      updatedAt: MID_2024.toISOString(),
    },
    [
      provinceState('shanghai', 40, '2024-06-20'),
      provinceState('jiangsu', 210, '2024-06-30'),
      provinceState('zhejiang', 80, '2024-05-15'),
    ],
    MID_2024,
  ),
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
    const card = projectCard(railWithProgress(), 'zh-CN');
    const [status] = byClass(card, 'status');
    expect(textOf(status as VElement)).toBe('存在风险');
    expect(status?.attrs.class).toContain('status--at-risk');
    expect(card.attrs.class).toBe('card tone--at-risk');
  });

  it('marks exactly the provinces whose report is overdue, and says so in words', () => {
    const card = projectCard(railPartlyOverdue(), 'en');
    const rows = byClass(card, 'province');
    const nameOf = (row: VElement) => textOf(byClass(row, 'province-name')[0] as VElement);
    expect(rows.map(nameOf)).toEqual(['Shanghai', 'Jiangsu', 'Zhejiang', 'Anhui']);

    const flagged = rows.filter((row) => byClass(row, 'overdue-flag').length > 0);
    expect(flagged.map(nameOf)).toEqual(['Zhejiang', 'Anhui']);
    expect(byClass(card, 'province--overdue').map(nameOf)).toEqual(['Zhejiang', 'Anhui']);
    expect(flagged.map((row) => textOf(byClass(row, 'overdue-flag')[0] as VElement))).toEqual([
      'Report overdue',
      'Report overdue',
    ]);
  });

  it('colours a province’s bar as completed once full, and the others neutral', () => {
    const card = projectCard(railWithProgress(), 'en');
    const bars = byClass(card, 'meter--share').map((bar) => bar.attrs.class);
    expect(bars).toEqual([
      'meter meter--share tone--neutral',
      'meter meter--share tone--completed',
      'meter meter--share tone--neutral',
      'meter meter--share tone--neutral',
    ]);
  });
});
