import { describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../../../functions/domain/errors.js';
import { defineProject, type ProjectDefinition } from '../../../functions/domain/project-definition.js';
import { MID_2024, projectFixture } from '../../support/fixtures.js';

const definition = (changes: Partial<ProjectDefinition> = {}): ProjectDefinition => ({
  year: 2024,
  name: { zh: '示例项目', en: 'Example project' },
  metric: null,
  unit: { zh: '个', en: 'sites' },
  allowDecimals: false,
  target: 100,
  targetIsMinimum: false,
  aggregation: 'sum',
  provinceTargets: {},
  reportingIntervalDays: 30,
  atRiskTolerancePoints: 10,
  ...changes,
});

describe('defineProject', () => {
  it('creates version 1 spanning the calendar year when no dates are given', () => {
    const project = defineProject('example-2024', definition(), null, MID_2024);
    expect(project).toMatchObject({ version: 1, startDate: '2024-01-01', deadline: '2024-12-31' });
  });

  it('bumps the version of an existing entry', () => {
    const project = defineProject(
      'rail-2024',
      definition(),
      projectFixture('rail-2024', { version: 3 }),
      MID_2024,
    );
    expect(project.version).toBe(4);
  });

  it("refuses to move a project to another year's list", () => {
    expect(() =>
      defineProject('rail-2024', definition({ year: 2025 }), projectFixture('rail-2024'), MID_2024),
    ).toThrow(ConflictError);
  });

  it('refuses a deadline before the start', () => {
    expect(() =>
      defineProject(
        'x-2024',
        definition({ startDate: '2024-06-01', deadline: '2024-05-01' }),
        null,
        MID_2024,
      ),
    ).toThrow(ValidationError);
  });

  it("refuses province targets on an 'each' project", () => {
    expect(() =>
      defineProject(
        'x-2024',
        definition({ aggregation: 'each', provinceTargets: { anhui: 3 } }),
        null,
        MID_2024,
      ),
    ).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ field: 'provinceTargets' })] }));
  });
});
