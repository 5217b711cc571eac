import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import {
  decideMilestone,
  type MilestoneReport,
  type ProvinceState,
} from '../../functions/domain/milestone.js';
import type { Province } from '../../functions/domain/provinces.js';
import { milestoneToItem } from '../../functions/storage/items.js';
import { regionKey } from '../../functions/storage/keys.js';
import { callerFixture, projectFixture } from './fixtures.js';

let sequence = 1000;

/** A DynamoDB stream record in the shape Lambda delivers (low-level attribute values). */
export const streamRecord = (
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  newItem: Record<string, unknown> | null,
  oldItem: Record<string, unknown> | null = null,
): DynamoDBRecord => {
  const item = newItem ?? oldItem ?? {};
  const image = (value: Record<string, unknown>) =>
    marshall(value, { removeUndefinedValues: true }) as unknown as Record<string, AttributeValue>;
  sequence += 1;
  return {
    eventID: `ev-${sequence}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'ap-northeast-1',
    eventSourceARN:
      'arn:aws:dynamodb:ap-northeast-1:123456789012:table/tracker/stream/2024-06-30T00:00:00.000',
    dynamodb: {
      ApproximateCreationDateTime: 1719734400,
      Keys: image({ PK: item.PK, SK: item.SK }),
      ...(newItem ? { NewImage: image(newItem) } : {}),
      ...(oldItem ? { OldImage: image(oldItem) } : {}),
      SequenceNumber: String(sequence).padStart(21, '0'),
      SizeBytes: 256,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
};

export const milestoneInsert = (
  province: Province,
  report: MilestoneReport,
  current: ProvinceState | null = null,
  id = `m-${province}-${report.asOf}-${report.value}`,
  projectId = 'rail-2024',
): DynamoDBRecord => {
  const { milestone } = decideMilestone({
    project: projectFixture(projectId),
    province,
    current,
    report,
    caller: callerFixture(province),
    milestoneId: id,
    now: new Date('2024-12-01T00:00:00.000Z'),
  });
  return streamRecord('INSERT', milestoneToItem(milestone));
};

/** A region aggregate image as the commit transaction leaves it. */
export const regionImage = (
  values: Partial<Record<Province, number>>,
  options: {
    projectId?: string;
    target?: number | null;
    aggregation?: 'sum' | 'each';
    province?: Province;
  } = {},
) => {
  const projectId = options.projectId ?? 'rail-2024';
  const total = Object.values(values).reduce((a, b) => a + b, 0);
  return {
    ...regionKey(projectId),
    entity: 'RegionAggregate',
    projectId,
    total,
    provinceValues: values,
    version: 1,
    updatedAt: '2024-06-30T04:00:00.000Z',
    lastChange: {
      target: options.target === undefined ? 660 : options.target,
      aggregation: options.aggregation ?? 'sum',
      province: options.province ?? 'jiangsu',
      milestoneId: 'm-last',
      asOf: '2024-06-30',
      recordedAt: '2024-06-30T04:00:00.000Z',
      recordedBy: { subject: 'user-jiangsu', username: 'jiangsu-office', role: 'jiangsu' },
    },
  };
};

export const regionModify = (
  before: Partial<Record<Province, number>>,
  after: Partial<Record<Province, number>>,
  options: Parameters<typeof regionImage>[1] = {},
): DynamoDBRecord => streamRecord('MODIFY', regionImage(after, options), regionImage(before, options));
