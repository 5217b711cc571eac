import { describe, expect, it } from 'vitest';
import { requireCoordinator, resolveReportingProvince } from '../../../functions/domain/caller.js';
import { ForbiddenError, ValidationError } from '../../../functions/domain/errors.js';
import { callerFixture } from '../../support/fixtures.js';

describe('resolveReportingProvince', () => {
  it('lets a province office report for its own province', () => {
    expect(resolveReportingProvince(callerFixture('jiangsu'), undefined)).toBe('jiangsu');
    expect(resolveReportingProvince(callerFixture('jiangsu'), 'jiangsu')).toBe('jiangsu');
  });

  it('forbids a province office to report for another province', () => {
    expect(() => resolveReportingProvince(callerFixture('jiangsu'), 'zhejiang')).toThrow(ForbiddenError);
  });

  it('lets the coordinator report for any province it names', () => {
    expect(resolveReportingProvince(callerFixture('coordinator'), 'anhui')).toBe('anhui');
  });

  it('asks the coordinator to name the province', () => {
    expect(() => resolveReportingProvince(callerFixture('coordinator'), undefined)).toThrow(ValidationError);
  });
});

describe('requireCoordinator', () => {
  it('refuses a province office', () => {
    expect(() => requireCoordinator(callerFixture('shanghai'), 'define projects')).toThrow(ForbiddenError);
  });
  it('admits the coordinator', () => {
    expect(() => requireCoordinator(callerFixture('coordinator'), 'define projects')).not.toThrow();
  });
});
