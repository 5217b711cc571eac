import { describe, expect, it } from 'vitest';
import { CATALOGUE_2024, LIST_2024 } from '../../../functions/domain/catalogue/2024.js';
import { CATALOGUE_2025, LIST_2025 } from '../../../functions/domain/catalogue/2025.js';
import { type CatalogueItem, SOURCES } from '../../../functions/domain/catalogue/item.js';
import { deliverableIssues } from '../../../functions/domain/deliverable.js';
import { metricIssues } from '../../../functions/domain/metric.js';
import { PROJECT_ID_PATTERN } from '../../../functions/domain/project.js';

const LISTS = [
  { list: LIST_2024, items: CATALOGUE_2024 },
  { list: LIST_2025, items: CATALOGUE_2025 },
];
const ALL = [...CATALOGUE_2024, ...CATALOGUE_2025];

const find = (id: string): CatalogueItem => {
  const found = ALL.find((entry) => entry.id === id);
  if (found === undefined) throw new Error(`no seeded item ${id}`);
  return found;
};
const metricOf = (itemId: string, metricId: string) => {
  const found = find(itemId).metrics.find((m) => m.id === metricId);
  if (found === undefined) throw new Error(`no metric ${metricId} in ${itemId}`);
  return found;
};

describe('the seeded lists', () => {
  it.each(LISTS)(
    '$list.year: every item fits its year and the rules of metrics and deliverables',
    ({ list, items }) => {
      expect(items.length).toBeGreaterThan(0);
      expect(items.length).toBeLessThanOrEqual(list.itemCount);
      for (const entry of items) {
        expect(entry.year, entry.id).toBe(list.year);
        expect(entry.id, entry.id).toMatch(PROJECT_ID_PATTERN);
        expect([entry.startDate, entry.deadline], entry.id).toEqual([
          `${list.year}-01-01`,
          `${list.year}-12-31`,
        ]);
        expect(metricIssues(entry.metrics), entry.id).toEqual([]);
        expect(deliverableIssues(entry.deliverables, entry.startDate), entry.id).toEqual([]);
      }
    },
  );

  it('has unique ids across the years, and every source it cites exists', () => {
    expect(new Set(ALL.map((entry) => entry.id)).size).toBe(ALL.length);
    for (const cited of [...ALL, LIST_2024, LIST_2025].flatMap((entry) => entry.sources)) {
      expect(Object.keys(SOURCES)).toContain(cited);
    }
    expect(ALL.every((entry) => entry.sources.length > 0)).toBe(true);
  });

  it('never leaves a gap unexplained: a metric without a target, or an item with nothing to track, carries a note', () => {
    for (const entry of ALL) {
      if (entry.metrics.length === 0 && entry.deliverables.length === 0)
        expect(entry.note, entry.id).not.toBeNull();
      for (const m of entry.metrics) {
        if (m.target === null || m.baseline === null) expect(m.note, `${entry.id}/${m.id}`).not.toBeNull();
      }
    }
  });
});

describe('2024 as published', () => {
  it('keeps the ids a stored 2024 list already has', () => {
    expect(CATALOGUE_2024.map((entry) => entry.id)).toEqual(
      expect.arrayContaining([
        'rail-2024',
        'ev-charging-2024',
        'virtual-windows-2024',
        'medical-insurance-2024',
        'elderly-care-2024',
      ]),
    );
  });

  it('has 660 km of rail summed over the provinces, with the three lines to open', () => {
    expect(metricOf('rail-2024', 'new-railway')).toMatchObject({
      target: 660,
      combine: 'sum',
      allowDecimals: true,
    });
    expect(find('rail-2024').deliverables.map((d) => [d.id, d.provinces, d.kind])).toEqual([
      ['hangwen', ['zhejiang'], 'open'],
      ['chihuang', ['anhui'], 'open'],
      ['husuhu', ['shanghai', 'jiangsu', 'zhejiang'], 'open'],
    ]);
  });

  it('has the charging network in three metrics: ≥ 70,000 new piles, a ratio of at most 1.9 and ≥ 600,000 piles region-wide', () => {
    expect(
      find('ev-charging-2024').metrics.map((m) => [m.id, m.direction, m.target, m.combine, m.baseline]),
    ).toEqual([
      ['new-public-piles', 'atLeast', 70_000, 'sum', 0],
      ['vehicle-pile-ratio', 'atMost', 1.9, 'region', null],
      ['cumulative-public-piles', 'atLeast', 600_000, 'region', null],
    ]);
  });

  it('has 200 virtual-window sites, 200 services and 41 cities, and 12 insurance items in each province', () => {
    expect(find('virtual-windows-2024').metrics.map((m) => [m.target, m.combine])).toEqual([
      [200, 'sum'],
      [200, 'region'],
      [41, 'region'],
    ]);
    expect(metricOf('medical-insurance-2024', 'assisted-reproduction-items')).toMatchObject({
      target: 12,
      combine: 'each',
    });
  });

  it('invents no figure: elderly care has no metric yet, the 2024 one-card list no target', () => {
    expect(find('elderly-care-2024').metrics).toEqual([]);
    expect(metricOf('one-card-2024', 'shared-services').target).toBeNull();
  });
});

describe('2025 as published', () => {
  it('has the one-card list growing from a baseline of 78 to 113, one figure for the region', () => {
    expect(metricOf('one-card-2025', 'shared-services')).toMatchObject({
      baseline: 78,
      target: 113,
      combine: 'region',
    });
    expect(metricOf('one-card-2025', 'elderly-card-cities')).toMatchObject({ target: 12, combine: 'sum' });
  });

  it('has 3,000 trusted businesses, 30,000 pledging firms and 30 gift products in each province', () => {
    expect(find('satisfied-consumption-2025').metrics.map((m) => [m.target, m.combine])).toEqual([
      [3_000, 'sum'],
      [30_000, 'sum'],
      [30, 'each'],
    ]);
  });

  it('has rail as deliverables only: two lines to open and two to start', () => {
    const rail = find('rail-2025');
    expect(rail.metrics).toEqual([]);
    expect(rail.deliverables.map((d) => [d.id, d.provinces, d.kind, d.due])).toEqual([
      ['hexin-hefei-sixian', ['anhui'], 'open', '2025-12-31'],
      ['ningma', ['jiangsu', 'anhui'], 'open', '2025-12-31'],
      ['shuixiang-line', ['shanghai', 'jiangsu', 'zhejiang'], 'start', '2025-12-31'],
      ['wenfu-zhejiang', ['zhejiang'], 'start', '2025-12-31'],
    ]);
  });

  it('sets no target from an unconfirmed summary', () => {
    expect(metricOf('jobs-2025', 'positions-gathered').target).toBeNull();
  });
});
