import { describe, expect, it } from 'vitest';
import { metric } from '../../../functions/domain/catalogue/item.js';
import { ValidationError } from '../../../functions/domain/errors.js';
import {
  mayReport,
  metricIssues,
  percentAlong,
  scopesOf,
  targetOf,
  validateMetrics,
} from '../../../functions/domain/metric.js';

const base = metric({ id: 'piles', name: { zh: '充电桩', en: 'piles' }, target: 70_000 });

describe('percentAlong', () => {
  it('measures from the baseline toward the target in either direction', () => {
    expect(percentAlong('atLeast', 0, 660, 330)).toBe(50);
    expect(percentAlong('atLeast', 78, 113, 113)).toBe(100);
    expect(percentAlong('atMost', 2.5, 1.9, 2.2)).toBeCloseTo(50, 10);
  });

  it('has no answer without a span: no target, no baseline, or a target on the wrong side', () => {
    expect(percentAlong('atLeast', 0, null, 10)).toBeNull();
    expect(percentAlong('atMost', null, 1.9, 2)).toBeNull();
    expect(percentAlong('atMost', 1.5, 1.9, 1.7)).toBeNull();
    expect(percentAlong('atLeast', 100, 50, 70)).toBeNull();
  });
});

describe('scopes, targets and who reports', () => {
  const region = { ...base, combine: 'region' as const, reporter: 'zhejiang' as const };
  it('has four provinces for sum and each, the region alone for region', () => {
    expect(scopesOf(base)).toEqual(['shanghai', 'jiangsu', 'zhejiang', 'anhui']);
    expect(scopesOf(region)).toEqual(['region']);
  });

  it('gives each province the common target of an each metric unless it has its own, and a sum province only its share', () => {
    const each = { ...base, combine: 'each' as const, target: 30, provinceTargets: { anhui: 20 } };
    expect(targetOf(each, 'anhui')).toBe(20);
    expect(targetOf(each, 'jiangsu')).toBe(30);
    expect(targetOf({ ...base, provinceTargets: { jiangsu: 20_000 } }, 'jiangsu')).toBe(20_000);
    expect(targetOf(base, 'shanghai')).toBeNull();
    expect(targetOf(region, 'region')).toBe(70_000);
  });

  it('lets an office report its own province, the named office a region figure, the coordinator anything', () => {
    expect(mayReport(base, 'jiangsu', 'jiangsu')).toBe(true);
    expect(mayReport(base, 'jiangsu', 'anhui')).toBe(false);
    expect(mayReport(region, 'zhejiang', 'region')).toBe(true);
    expect(mayReport(region, 'jiangsu', 'region')).toBe(false);
    expect(mayReport(region, 'coordinator', 'region')).toBe(true);
    expect(mayReport({ ...region, reporter: 'coordinator' }, 'zhejiang', 'region')).toBe(false);
  });
});

describe('metricIssues', () => {
  it('accepts the seeded kinds of metric', () => {
    expect(
      metricIssues([
        base,
        { ...base, id: 'ratio', direction: 'atMost', baseline: null, target: 1.9, combine: 'region' },
      ]),
    ).toEqual([]);
  });

  it('names each broken rule by its field', () => {
    const issues = metricIssues([
      { ...base, baseline: 80_000 },
      { ...base, id: 'piles', direction: 'atMost', baseline: 1, target: 2 },
      { ...base, id: 'Bad Id', combine: 'region', provinceTargets: { jiangsu: 1 } },
      { ...base, id: 'share', target: null, provinceTargets: { jiangsu: 1 } },
      { ...base, id: 'who', reporter: 'anhui' },
    ]);
    expect(issues).toEqual([
      { field: 'metrics.1.id', message: 'repeats metric id piles' },
      { field: 'metrics.2.id', message: 'must be lowercase letters, digits and hyphens' },
      { field: 'metrics.0.target', message: 'must be greater than the baseline (80000)' },
      { field: 'metrics.1.target', message: 'must be lower than the baseline (1)' },
      { field: 'metrics.2.provinceTargets', message: "are not for a 'region' metric: it has one figure" },
      { field: 'metrics.3.provinceTargets', message: 'need a regional target as well' },
      {
        field: 'metrics.4.reporter',
        message: "is only for a 'region' metric: each office reports its own province",
      },
    ]);
  });

  it('throws them as one ValidationError', () => {
    expect(() => validateMetrics('p', [{ ...base, baseline: 80_000 }])).toThrow(ValidationError);
    expect(() =>
      validateMetrics(
        'p',
        Array.from({ length: 11 }, (_, i) => ({ ...base, id: `m${i}` })),
      ),
    ).toThrow(/metrics of project p/);
  });
});
