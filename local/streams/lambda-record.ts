/** Record conversion: the streams API's records → Lambda's event records. */
import type { _Record as StreamsRecord } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';

type LambdaAttributeValue = NonNullable<NonNullable<DynamoDBRecord['dynamodb']>['Keys']>[string];

const toBase64 = (bytes: unknown) =>
  bytes instanceof Uint8Array ? Buffer.from(bytes).toString('base64') : String(bytes);

/** The SDK's attribute values carry binaries as bytes; Lambda's event carries base64 strings. */
const toLambdaValue = (value: unknown): LambdaAttributeValue => {
  const source = value as Record<string, unknown>;
  if ('B' in source) return { B: toBase64(source.B) };
  if ('BS' in source) return { BS: (source.BS as unknown[]).map(toBase64) };
  if ('L' in source) return { L: (source.L as unknown[]).map(toLambdaValue) };
  if ('M' in source) return { M: toLambdaImage(source.M as Record<string, unknown>) };
  const { $unknown: _ignored, ...rest } = source;
  return rest as LambdaAttributeValue;
};

const toLambdaImage = (image: Record<string, unknown>): Record<string, LambdaAttributeValue> =>
  Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toLambdaValue(value)]));

export const toLambdaRecord = (record: StreamsRecord, streamArn: string, region: string): DynamoDBRecord => {
  const stream = record.dynamodb ?? {};
  const created = stream.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(created !== undefined
        ? { ApproximateCreationDateTime: Math.floor(new Date(created).getTime() / 1000) }
        : {}),
      ...(stream.Keys ? { Keys: toLambdaImage(stream.Keys) } : {}),
      ...(stream.NewImage ? { NewImage: toLambdaImage(stream.NewImage) } : {}),
      ...(stream.OldImage ? { OldImage: toLambdaImage(stream.OldImage) } : {}),
      SequenceNumber: stream.SequenceNumber,
      SizeBytes: stream.SizeBytes,
      StreamViewType: stream.StreamViewType,
    },
    ...(record.userIdentity
      ? { userIdentity: { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId } }
      : {}),
  };
};

/** The record's sequence number: its position in the shard, and its id in batchItemFailures. */
export const sequenceOf = (record: DynamoDBRecord) => record.dynamodb?.SequenceNumber ?? '';
