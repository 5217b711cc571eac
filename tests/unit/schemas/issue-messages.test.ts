import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { ValidationError } from '../../../functions/domain/errors.js';
import { DETAIL_SCHEMAS } from '../../../functions/events/detail-schemas.js';
import { parseWith } from '../../../functions/schemas/common.js';
import { issueMessage } from '../../../functions/schemas/issue-messages.js';
import { milestoneHistoryQuery, milestoneReportBody } from '../../../functions/schemas/milestones.js';
import { projectBody, projectListQuery } from '../../../functions/schemas/projects.js';
import { deliveriesQuery, subscriptionBody } from '../../../functions/schemas/subscriptions.js';
import { withoutZodLocale } from '../../support/zod-locale.js';

withoutZodLocale();

const refusal = (schema: z.ZodMiniType, input: unknown) => {
  try {
    parseWith(schema, input, 'request');
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues;
  }
  throw new Error(`${JSON.stringify(input)} was accepted`);
};

const definition = { year: 2024, name: { zh: '铁路', en: 'Rail' } };
const report = { value: 210, asOf: '2024-06-30' };
const PROVINCE_OPTIONS = '"shanghai"|"jiangsu"|"zhejiang"|"anhui"';

/** [what, schema, input, the texts a caller reads], the texts as the classic API answered them. */
const CASES: [string, z.ZodMiniType, unknown, { field: string; message: string }[]][] = [
  [
    'a body that is not an object',
    projectBody,
    null,
    [{ field: '(body)', message: 'Invalid input: expected object, received null' }],
  ],
  [
    'an array for a body',
    milestoneReportBody,
    [],
    [{ field: '(body)', message: 'Invalid input: expected object, received array' }],
  ],
  [
    'a missing field',
    projectBody,
    { ...definition, name: { zh: '铁路' } },
    [{ field: 'name.en', message: 'Invalid input: expected string, received undefined' }],
  ],
  [
    'a number where a string is due',
    milestoneReportBody,
    { ...report, note: 5 },
    [{ field: 'note', message: 'Invalid input: expected string, received number' }],
  ],
  [
    'a string where a boolean is due',
    projectBody,
    { ...definition, allowDecimals: 'yes' },
    [{ field: 'allowDecimals', message: 'Invalid input: expected boolean, received string' }],
  ],
  [
    'a query value that is not a number',
    projectListQuery,
    { year: 'abc' },
    [{ field: 'year', message: 'Invalid input: expected number, received NaN' }],
  ],
  [
    'a fraction where a whole number is due',
    deliveriesQuery,
    { limit: '1.5' },
    [{ field: 'limit', message: 'Invalid input: expected int, received number' }],
  ],
  [
    'an unknown key',
    milestoneReportBody,
    { ...report, extra: 1 },
    [{ field: '(body)', message: 'Unrecognized key: "extra"' }],
  ],
  [
    'unknown keys',
    projectListQuery,
    { year: '2024', other: 'x', more: 'y' },
    [{ field: '(body)', message: 'Unrecognized keys: "other", "more"' }],
  ],
  [
    'an unknown key of a record',
    projectBody,
    { ...definition, provinceTargets: { tokyo: 5 } },
    [{ field: 'provinceTargets', message: 'Unrecognized key: "tokyo"' }],
  ],
  [
    'a value outside an enumeration',
    projectBody,
    { ...definition, aggregation: 'avg' },
    [{ field: 'aggregation', message: 'Invalid option: expected one of "sum"|"each"' }],
  ],
  [
    'an unknown province',
    milestoneReportBody,
    { ...report, province: 'tokyo' },
    [{ field: 'province', message: `Invalid option: expected one of ${PROVINCE_OPTIONS}` }],
  ],
  [
    'a number above its maximum',
    deliveriesQuery,
    { limit: '101' },
    [{ field: 'limit', message: 'Too big: expected number to be <=100' }],
  ],
  [
    'a number below its minimum',
    projectBody,
    { ...definition, reportingIntervalDays: 0 },
    [{ field: 'reportingIntervalDays', message: 'Too small: expected number to be >=1' }],
  ],
  [
    'a string longer than its maximum',
    subscriptionBody,
    { url: 'u'.repeat(2049) },
    [{ field: 'url', message: 'Too big: expected string to have <=2048 characters' }],
  ],
  [
    'several fields at once, custom messages untouched',
    milestoneHistoryQuery,
    { limit: '0', cursor: 'c'.repeat(2049), province: 'x' },
    [
      { field: 'province', message: `Invalid option: expected one of ${PROVINCE_OPTIONS}` },
      { field: 'limit', message: 'must be at least 1' },
      { field: 'cursor', message: 'Too big: expected string to have <=2048 characters' },
    ],
  ],
];

describe('the texts of issues a schema words no message for', () => {
  it.each(CASES)('%s', (_what, schema, input, expected) => {
    expect(refusal(schema, input)).toEqual(expected);
  });

  it('are the English locale’s, for every issue our request schemas leave to it', () => {
    const locale = en().localeError;
    let worded = 0;
    for (const [, schema, input] of CASES) {
      const result = schema.safeParse(input, {
        error: (issue) => {
          worded++;
          expect(issueMessage(issue)).toBe(locale(issue));
          return undefined;
        },
      });
      // Issues are worded when they are read.
      expect(result.error?.issues.length).toBeGreaterThan(0);
    }
    expect(worded).toBeGreaterThanOrEqual(CASES.length);
  });

  it('word a detail that breaks its event schema as the locale did', () => {
    const detail = {
      eventId: 'not-a-uuid',
      schemaVersion: 2,
      projectId: 'rail-2024',
      occurredAt: 'yesterday',
      lastReportedAt: null,
      lastAsOf: '2024-13-01',
      province: 'jiangsu',
      daysSinceLastReport: 1.5,
      reportingIntervalDays: 0,
      currentValue: 1,
    };
    const result = DETAIL_SCHEMAS.ReportOverdue.safeParse(detail, { error: issueMessage });
    expect(result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([
      'eventId: Invalid UUID',
      'schemaVersion: Invalid input: expected 1',
      'occurredAt: Invalid ISO datetime',
      'lastAsOf: Invalid ISO date',
      'daysSinceLastReport: Invalid input: expected int, received number',
      'reportingIntervalDays: Too small: expected number to be >=1',
    ]);
  });

  it('leave a refinement or a union without a message of its own to "Invalid input"', () => {
    const threshold = DETAIL_SCHEMAS.ProgressThresholdReached.shape.threshold;
    expect(threshold.safeParse(30, { error: issueMessage }).error?.issues[0]?.message).toBe('Invalid input');
  });
});
