import { describe, expect, it } from 'vitest';
import { LEGACY_METRIC_ID, metricOfLegacyProject } from '../../../functions/domain/legacy-project.js';
import { metricIssues } from '../../../functions/domain/metric.js';
import { projectFixture } from '../../support/fixtures.js';

describe('a project stored with one figure', () => {
  it('reads as one metric pushed up from zero, combined as it was', () => {
    const rail = metricOfLegacyProject(projectFixture('rail-2024', { provinceTargets: { jiangsu: 200 } }));
    expect(rail).toEqual({
      id: LEGACY_METRIC_ID,
      name: { zh: '新增建成铁路里程', en: 'New railway brought into service' },
      unit: { zh: '公里', en: 'km' },
      allowDecimals: true,
      direction: 'atLeast',
      baseline: 0,
      target: 660,
      combine: 'sum',
      provinceTargets: { jiangsu: 200 },
      reporter: 'coordinator',
      note: null,
    });
    expect(metricOfLegacyProject(projectFixture('medical-insurance-2024')).combine).toBe('each');
    expect(metricIssues([rail])).toEqual([]);
  });

  it("takes the project's name for a metric the source did not name", () => {
    const care = metricOfLegacyProject(projectFixture('elderly-care-2024'));
    expect(care).toMatchObject({
      name: { zh: '养老服务一体化', en: 'Integrated elderly-care services' },
      target: null,
    });
  });
});
