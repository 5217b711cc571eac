import { describe, expect, it } from 'vitest';
import { decideMilestone } from '../../../functions/domain/milestone.js';
import {
  buildCommitTransaction,
  COMMIT_INDEX,
  type CommitReportInput,
} from '../../../functions/storage/milestone-repository.js';
import { callerFixture, MID_2024, projectFixture, provinceState } from '../../support/fixtures.js';

const input = (
  current = provinceState('jiangsu', 200, '2024-05-31', { version: 7 }),
  value = 210,
  asOf = '2024-06-30',
): CommitReportInput => ({
  year: 2024,
  project: { target: 660, aggregation: 'sum', version: 3 },
  decision: decideMilestone({
    project: projectFixture('rail-2024'),
    province: 'jiangsu',
    current,
    report: { value, asOf },
    caller: callerFixture('jiangsu'),
    milestoneId: 'mid-1',
    now: MID_2024,
  }),
  expectedProvinceVersion: current?.version ?? null,
  idempotency: {
    subject: 'user-jiangsu',
    key: 'key-1',
    record: {
      requestHash: 'h',
      statusCode: 201,
      body: '{}',
      createdAt: MID_2024.toISOString(),
      expiresAt: 1719806400,
    },
  },
});

describe('buildCommitTransaction', () => {
  it('writes milestone, province state, idempotency record and region aggregate in one transaction', () => {
    const items = buildCommitTransaction('t', input()).TransactItems ?? [];
    expect(items).toHaveLength(5);
    expect(items[COMMIT_INDEX.milestone]?.Put?.Item).toMatchObject({
      PK: 'PROJECT#rail-2024',
      SK: 'MILESTONE#2024-06-30#2024-06-30T04:00:00.000Z#mid-1',
      GSI1PK: 'PROJECT#rail-2024#PROVINCE#jiangsu',
      entity: 'Milestone',
      value: 210,
    });
    expect(items[COMMIT_INDEX.milestone]?.Put?.ConditionExpression).toBe('attribute_not_exists(PK)');
    expect(items[COMMIT_INDEX.idempotency]?.Put?.Item).toMatchObject({
      PK: 'IDEMPOTENCY#user-jiangsu#key-1',
      expiresAt: 1719806400,
    });
  });

  it("locks on the province state's version the decision was made on", () => {
    const province = buildCommitTransaction('t', input()).TransactItems?.[COMMIT_INDEX.province]?.Put;
    expect(province?.ConditionExpression).toBe('#version = :expected');
    expect(province?.ExpressionAttributeValues).toEqual({ ':expected': 7 });
    expect(province?.Item).toMatchObject({
      SK: 'STATE#PROVINCE#jiangsu',
      value: 210,
      version: 8,
      GSI1PK: 'YEAR#2024',
    });
  });

  it("checks that the project's definition is still the version the report was decided under", () => {
    const items = buildCommitTransaction('t', input()).TransactItems ?? [];
    expect(items[COMMIT_INDEX.project]).toEqual({
      ConditionCheck: {
        TableName: 't',
        Key: { PK: 'PROJECT#rail-2024', SK: 'STATE#PROJECT' },
        ConditionExpression: '#version = :decidedUnder',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':decidedUnder': 3 },
      },
    });
    // A backfill applies the definition's rules too, though it leaves the region alone.
    const backfill = buildCommitTransaction('t', input(undefined, 150, '2024-03-31')).TransactItems ?? [];
    expect(backfill[COMMIT_INDEX.project]?.ConditionCheck?.ExpressionAttributeValues).toEqual({
      ':decidedUnder': 3,
    });
  });

  it("requires the province state to be absent for a province's first report", () => {
    const province = buildCommitTransaction('t', input(null as never)).TransactItems?.[COMMIT_INDEX.province]
      ?.Put;
    expect(province?.ConditionExpression).toBe('attribute_not_exists(PK)');
  });

  it('moves the region total by the exact difference with ADD, so provinces never contend', () => {
    const region = buildCommitTransaction('t', input()).TransactItems?.[COMMIT_INDEX.region]?.Update;
    expect(region?.UpdateExpression).toContain('ADD #total :delta');
    expect(region?.ExpressionAttributeValues).toMatchObject({ ':delta': 10, ':value': 210 });
    expect(region?.ExpressionAttributeNames).toMatchObject({ '#province': 'jiangsu', '#total': 'total' });
  });

  it('leaves the region aggregate alone for a backfill', () => {
    const items = buildCommitTransaction('t', input(undefined, 150, '2024-03-31')).TransactItems ?? [];
    expect(items).toHaveLength(4);
    expect(items.some((item) => item.Update)).toBe(false);
  });
});
