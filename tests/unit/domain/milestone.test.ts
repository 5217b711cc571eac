import { describe, expect, it } from 'vitest';
import { metric } from '../../../functions/domain/catalogue/item.js';
import { ConflictError, ValidationError } from '../../../functions/domain/errors.js';
import {
  classifyReport,
  type DecideMilestoneInput,
  decideMilestone,
  validateReportFor,
} from '../../../functions/domain/milestone.js';
import { callerFixture, MID_2024, projectFixture, provinceState } from '../../support/fixtures.js';

const decide = (changes: Partial<DecideMilestoneInput> & Pick<DecideMilestoneInput, 'report'>) =>
  decideMilestone({
    project: projectFixture('rail-2024'),
    province: 'jiangsu',
    current: null,
    caller: callerFixture('jiangsu'),
    milestoneId: 'm-1',
    now: MID_2024,
    ...changes,
  });

const validationFields = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map((issue) => issue.field);
    throw error;
  }
  throw new Error('expected a ValidationError');
};

describe('decideMilestone', () => {
  it("makes a province's first report its current value", () => {
    const { milestone, next, delta } = decide({ report: { value: 210, asOf: '2024-06-30' } });
    expect(milestone).toMatchObject({ kind: 'report', value: 210, previousValue: null, province: 'jiangsu' });
    expect(next).toMatchObject({ value: 210, asOf: '2024-06-30', reportCount: 1, version: 1 });
    expect(delta).toBe(210);
  });

  it('moves the current value forward by the difference for a later, higher report', () => {
    const { next, delta, milestone } = decide({
      current: provinceState('jiangsu', 210.5, '2024-05-31', { version: 4, reportCount: 4 }),
      report: { value: 210.7, asOf: '2024-06-30' },
    });
    expect(delta).toBe(0.2);
    expect(next).toMatchObject({ value: 210.7, asOf: '2024-06-30', version: 5, reportCount: 5 });
    expect(milestone).toMatchObject({ previousValue: 210.5, previousAsOf: '2024-05-31' });
  });

  it('accepts the same cumulative value again: repeating a cumulative report is safe', () => {
    const { delta, milestone } = decide({
      current: provinceState('jiangsu', 210, '2024-06-30'),
      report: { value: 210, asOf: '2024-06-30' },
    });
    expect(delta).toBe(0);
    expect(milestone.kind).toBe('report');
  });

  it('refuses a lower value without a correction reason', () => {
    const attempt = () =>
      decide({
        current: provinceState('jiangsu', 210, '2024-06-30'),
        report: { value: 200, asOf: '2024-06-30' },
      });
    expect(attempt).toThrow(ConflictError);
    expect(attempt).toThrow(/correctionReason/);
  });

  it('records a lower value with a reason as a correction that becomes current', () => {
    const { milestone, next, delta } = decide({
      current: provinceState('jiangsu', 210, '2024-06-30'),
      report: { value: 200, asOf: '2024-06-30', correctionReason: '210 counted a section not yet opened' },
    });
    expect(milestone.kind).toBe('correction');
    expect(next.value).toBe(200);
    expect(delta).toBe(-10);
  });

  it('treats a whitespace-only correction reason as no reason', () => {
    expect(() =>
      decide({
        current: provinceState('jiangsu', 210, '2024-06-30'),
        report: { value: 200, asOf: '2024-06-30', correctionReason: '   ' },
      }),
    ).toThrow(ConflictError);
  });

  it('keeps a report with an older as-of date as history without replacing the current value', () => {
    const current = provinceState('jiangsu', 210, '2024-06-30', { version: 2 });
    const { milestone, next, delta } = decide({ current, report: { value: 150, asOf: '2024-03-31' } });
    expect(milestone.kind).toBe('backfill');
    expect(delta).toBe(0);
    expect(next).toMatchObject({ value: 210, asOf: '2024-06-30', version: 3, reportCount: 2 });
  });

  it('refuses a backfill whose value exceeds the current value, since cumulative values never fall', () => {
    expect(() =>
      decide({
        current: provinceState('jiangsu', 210, '2024-06-30'),
        report: { value: 250, asOf: '2024-03-31' },
      }),
    ).toThrow(expect.objectContaining({ code: 'backfill-exceeds-current-value' }));
  });

  it('refuses decimals for a count unit', () => {
    expect(
      validationFields(() =>
        decide({ project: projectFixture('ev-charging-2024'), report: { value: 100.5, asOf: '2024-06-30' } }),
      ),
    ).toEqual(['value']);
  });

  it('allows kilometres to the metre but not finer, however large the value', () => {
    expect(decide({ report: { value: 12.345, asOf: '2024-06-30' } }).next.value).toBe(12.345);
    expect(decide({ report: { value: 1.005, asOf: '2024-06-30' } }).next.value).toBe(1.005);
    for (const value of [12.3456, 1234.5678, 1000.0001]) {
      expect(validationFields(() => decide({ report: { value, asOf: '2024-06-30' } }))).toEqual(['value']);
    }
  });

  it.each([
    ['negative', -1],
    ['not finite', Number.POSITIVE_INFINITY],
    ['not a number', Number.NaN],
    ['implausibly above the target (a unit slip)', 6601],
  ])('refuses a value that is %s', (_label, value) => {
    expect(validationFields(() => decide({ report: { value, asOf: '2024-06-30' } }))).toEqual(['value']);
  });

  it('refuses an as-of date before the project starts', () => {
    expect(validationFields(() => decide({ report: { value: 1, asOf: '2023-12-31' } }))).toEqual(['asOf']);
  });

  it('refuses an as-of date that is still in the future in China', () => {
    // 2024-06-30 23:30 in China is 15:30 UTC: 2024-07-01 is tomorrow there.
    const now = new Date('2024-06-30T15:30:00.000Z');
    expect(validationFields(() => decide({ now, report: { value: 1, asOf: '2024-07-01' } }))).toEqual([
      'asOf',
    ]);
    expect(decide({ now, report: { value: 1, asOf: '2024-06-30' } }).milestone.asOf).toBe('2024-06-30');
  });

  it('accepts the first of July from 16:00 UTC on 30 June, which is already 1 July in China', () => {
    const now = new Date('2024-06-30T16:00:00.000Z');
    expect(decide({ now, report: { value: 1, asOf: '2024-07-01' } }).milestone.asOf).toBe('2024-07-01');
  });

  it('records who reported, from the verified caller', () => {
    const { milestone } = decide({
      caller: callerFixture('coordinator', 'sub-9'),
      report: { value: 1, asOf: '2024-06-30' },
    });
    expect(milestone.recordedBy).toEqual({
      subject: 'sub-9',
      username: 'coordinator-office',
      role: 'coordinator',
    });
  });

  it('takes reports for a project without a target, with no plausibility ceiling', () => {
    const project = projectFixture('elderly-care-2024');
    expect(decide({ project, report: { value: 5_000_000, asOf: '2024-06-30' } }).next.value).toBe(5_000_000);
  });
});

describe('the rules of a figure pushed down (atMost)', () => {
  const ratio = metric({
    id: 'vehicle-pile-ratio',
    name: { zh: '车桩比', en: 'Vehicles per pile' },
    allowDecimals: true,
    direction: 'atMost',
    baseline: 2.5,
    target: 1.9,
    combine: 'region',
  });
  const current = provinceState('jiangsu', 2.1, '2024-06-30');
  const conflictCode = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      if (error instanceof ConflictError) return error.code;
      throw error;
    }
    return 'no conflict';
  };

  it('takes a lower figure as progress and a higher one as a correction that must say why', () => {
    expect(classifyReport('atMost', current, { value: 2.0, asOf: '2024-07-31' })).toBe('report');
    expect(conflictCode(() => classifyReport('atMost', current, { value: 2.2, asOf: '2024-07-31' }))).toBe(
      'decrease-without-correction-reason',
    );
    expect(
      classifyReport('atMost', current, {
        value: 2.2,
        asOf: '2024-07-31',
        correctionReason: '新能源车销量增长快于建桩',
      }),
    ).toBe('correction');
  });

  it('refuses a backfill further along than the current figure: lower, for a figure pushed down', () => {
    expect(classifyReport('atMost', current, { value: 2.3, asOf: '2024-05-31' })).toBe('backfill');
    expect(conflictCode(() => classifyReport('atMost', current, { value: 2.0, asOf: '2024-05-31' }))).toBe(
      'backfill-exceeds-current-value',
    );
  });

  it('keeps the cumulative rules for a figure pushed up', () => {
    expect(conflictCode(() => classifyReport('atLeast', current, { value: 2.0, asOf: '2024-07-31' }))).toBe(
      'decrease-without-correction-reason',
    );
    expect(classifyReport('atLeast', current, { value: 2.0, asOf: '2024-05-31' })).toBe('backfill');
  });

  it('measures plausibility against the baseline when it is above the target, and needs a target to measure', () => {
    const subject = { projectId: 'ev-charging-2024', metric: ratio, startDate: '2024-01-01' };
    const messages = (value: number, m = ratio) => {
      try {
        validateReportFor({ ...subject, metric: m }, { value, asOf: '2024-06-30' }, MID_2024);
      } catch (error) {
        if (error instanceof ValidationError) return error.issues.map((issue) => issue.message);
        throw error;
      }
      return [];
    };
    expect(messages(24.9)).toEqual([]);
    expect(messages(25.1)).toEqual(['is more than 10 times the baseline of 2.5; check the unit']);
    expect(messages(19.1, { ...ratio, baseline: null })).toEqual([
      'is more than 10 times the target of 1.9; check the unit',
    ]);
    expect(messages(1_000, { ...ratio, target: null })).toEqual([]);
  });
});
