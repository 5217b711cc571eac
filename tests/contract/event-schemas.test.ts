import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { RiskFinding } from '../../functions/domain/watchdog.js';
import { DETAIL_TYPES, type PublishedDetailType } from '../../functions/events/catalogue.js';
import { DETAIL_SCHEMAS } from '../../functions/events/detail-schemas.js';
import { eventsFromRecord } from '../../functions/events/from-stream.js';
import { detailJsonSchema, EVENT_SCHEMA_DIR, schemaFileName } from '../../functions/events/json-schemas.js';
import { noticeToItem } from '../../functions/storage/notice-repository.js';
import { provinceState } from '../support/fixtures.js';
import { milestoneInsert, regionModify, streamRecord } from '../support/stream-records.js';

const detailTypes = Object.keys(DETAIL_SCHEMAS) as PublishedDetailType[];
const committed = (detailType: string) =>
  JSON.parse(readFileSync(join(EVENT_SCHEMA_DIR, schemaFileName(detailType)), 'utf8')) as Record<
    string,
    unknown
  >;

const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validators = new Map(
  detailTypes.map((detailType) => [detailType as string, ajv.compile(committed(detailType))]),
);
const validatorFor = (detailType: string) => {
  const validate = validators.get(detailType);
  if (!validate) throw new Error(`no schema for ${detailType}`);
  return validate;
};

/** One real event of each detail-type, produced by the same mapping the publisher uses. */
const samples = [
  ...eventsFromRecord(
    milestoneInsert('jiangsu', {
      value: 210.5,
      asOf: '2024-06-30',
      note: '沪苏湖铁路',
      evidenceUrl: 'https://example.gov.cn/a',
    }),
  ),
  ...eventsFromRecord(
    milestoneInsert(
      'anhui',
      { value: 3, asOf: '2024-06-30', correctionReason: '重复统计' },
      provinceState('anhui', 4, '2024-06-01'),
    ),
  ),
  ...eventsFromRecord(
    milestoneInsert('anhui', { value: 1, asOf: '2024-02-01' }, provinceState('anhui', 4, '2024-06-01')),
  ),
  ...eventsFromRecord(regionModify({ jiangsu: 100 }, { jiangsu: 700 })),
  // Watchdog notices: a province silent since its last report, one that never reported, and a
  // project turning at-risk and back.
  ...[
    { lastMilestoneId: 'm-anhui-1', lastReportedAt: '2024-05-01T02:00:00.000Z', lastAsOf: '2024-04-30' },
    { lastMilestoneId: null, lastReportedAt: null, lastAsOf: null },
  ].flatMap((last) =>
    eventsFromRecord(
      streamRecord(
        'INSERT',
        noticeToItem({
          kind: 'overdue',
          projectId: 'rail-2024',
          province: 'anhui',
          ...last,
          daysSinceLastReport: 60,
          reportingIntervalDays: 30,
          currentValue: last.lastMilestoneId ? 33.5 : 0,
          notedAt: '2024-06-30T01:00:00.000Z',
        }),
      ),
    ),
  ),
  ...[
    { sequence: 1, atRisk: true, previousStatus: 'on-track', status: 'at-risk' },
    { sequence: 2, atRisk: false, previousStatus: 'at-risk', status: 'on-track' },
  ].flatMap((turn) =>
    eventsFromRecord(
      streamRecord(
        'INSERT',
        noticeToItem({
          kind: 'risk',
          projectId: 'rail-2024',
          ...(turn as Pick<RiskFinding, 'sequence' | 'atRisk' | 'previousStatus' | 'status'>),
          percent: 5.08,
          expectedPercent: 49.59,
          tolerancePoints: 10,
          target: 660,
          notedAt: '2024-06-30T01:00:00.000Z',
        }),
      ),
    ),
  ),
];

describe('the event contract', () => {
  it.each(detailTypes)(
    'the committed JSON Schema of %s matches the code (run `npm run schemas` after a change)',
    (detailType) => {
      expect(committed(detailType)).toEqual(detailJsonSchema(detailType));
    },
  );

  it('has a sample of every published detail-type', () => {
    expect(new Set(samples.map((s) => s.detailType))).toEqual(new Set(detailTypes));
    expect(samples.filter((s) => s.detailType === DETAIL_TYPES.progressThresholdReached)).toHaveLength(4);
    expect(samples.filter((s) => s.detailType === DETAIL_TYPES.reportOverdue)).toHaveLength(2);
    expect(samples.filter((s) => s.detailType === DETAIL_TYPES.projectAtRisk)).toHaveLength(2);
  });

  it.each(samples.map((s, i) => [`${s.detailType} #${i}`, s] as const))(
    'every event the publisher makes validates against its committed schema: %s',
    (_name, sample) => {
      const validate = validatorFor(sample.detailType);
      expect(validate(sample.detail), JSON.stringify(validate.errors)).toBe(true);
      expect(DETAIL_SCHEMAS[sample.detailType as PublishedDetailType].safeParse(sample.detail).success).toBe(
        true,
      );
    },
  );

  it('refuses a detail that breaks the contract', () => {
    const validate = validatorFor(DETAIL_TYPES.milestoneRecorded);
    const [sample] = samples;
    expect(validate({ ...sample?.detail, schemaVersion: 2 })).toBe(false);
    expect(validate({ ...sample?.detail, province: 'beijing' })).toBe(false);
    const { eventId: _dropped, ...withoutId } = sample?.detail ?? {};
    expect(validate(withoutId)).toBe(false);
  });
});
