import { describe, expect, it } from 'vitest';
import { MILESTONE_PAGE_MAX } from '../../../functions/schemas/milestones.js';
import {
  candidateYears,
  DEFAULT_REFRESH_SECONDS,
  defaultYear,
  HISTORY_PAGE_SIZE,
  overviewHash,
  parseRoute,
  projectHash,
  refreshSeconds,
  yearHash,
  yearOptions,
} from '../../../web/src/route.js';

describe('the dashboard’s routes', () => {
  it('reads the overview, a year and a project from the hash', () => {
    expect(parseRoute('')).toEqual({ view: 'overview', year: null });
    expect(parseRoute('#/')).toEqual({ view: 'overview', year: null });
    expect(parseRoute('#/years/2025')).toEqual({ view: 'overview', year: 2025 });
    expect(parseRoute('#/projects/rail-2024')).toEqual({ view: 'project', projectId: 'rail-2024' });
    expect(parseRoute('#/projects/%E0%A4')).toEqual({ view: 'overview', year: null });
    expect(parseRoute('#/elsewhere')).toEqual({ view: 'overview', year: null });
  });

  it('writes hashes that read back as the same view', () => {
    expect(parseRoute(overviewHash(2025))).toEqual({ view: 'overview', year: 2025 });
    expect(parseRoute(overviewHash(null))).toEqual({ view: 'overview', year: null });
    expect(parseRoute(projectHash('ev-charging-2024'))).toEqual({
      view: 'project',
      projectId: 'ev-charging-2024',
    });
  });

  it('polls every 30 seconds unless ?refresh= asks otherwise, never more often than every second', () => {
    expect(refreshSeconds('')).toBe(DEFAULT_REFRESH_SECONDS);
    expect(DEFAULT_REFRESH_SECONDS).toBe(30);
    expect(refreshSeconds('?refresh=1')).toBe(1);
    expect(refreshSeconds('?refresh=0')).toBe(1);
    expect(refreshSeconds('?refresh=-5')).toBe(1);
    expect(refreshSeconds('?refresh=abc')).toBe(30);
    expect(refreshSeconds('?refresh=')).toBe(30);
    expect(refreshSeconds('?refresh=99999')).toBe(3600);
  });

  it('looks for lists from next year back to 2024, the first joint list', () => {
    expect(candidateYears('2026-11-29')).toEqual([2027, 2026, 2025, 2024]);
    expect(candidateYears('2024-03-01')).toEqual([2025, 2024]);
  });

  it('opens on the latest year that has projects, or this year when none has', () => {
    const counts = [
      { year: 2027, count: 0 },
      { year: 2026, count: 0 },
      { year: 2025, count: 10 },
      { year: 2024, count: 5 },
    ];
    expect(defaultYear(counts, '2026-11-29')).toBe(2025);
    expect(defaultYear([{ year: 2026, count: 0 }], '2026-11-29')).toBe(2026);
  });

  it('asks for history in pages as large as the API allows', () => {
    expect(HISTORY_PAGE_SIZE).toBe(MILESTONE_PAGE_MAX);
  });
});

describe('the year selector', () => {
  it('offers the years newest first, adding the year shown when it is not among them', () => {
    expect(yearOptions([2025, 2024], 2024)).toEqual([2025, 2024]);
    expect(yearOptions([2025, 2024], 2023)).toEqual([2025, 2024, 2023]);
    expect(yearOptions([2024], 2026)).toEqual([2026, 2024]);
  });

  it('links the default year’s overview at #/, every other year at its own address', () => {
    expect(yearHash(2024, 2024)).toBe('#/');
    expect(yearHash(2025, 2024)).toBe('#/years/2025');
    expect(yearHash(null, 2024)).toBe('#/');
  });
});
