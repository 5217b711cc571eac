import { describe, expect, it } from 'vitest';
import {
  SQS_MAX_MESSAGE_BYTES,
  unpublishableRecordMessage,
} from '../../../functions/events/unpublishable-records.js';
import { streamRecord } from '../../support/stream-records.js';

const NOW = new Date('2024-07-01T00:00:00.000Z');
const item = (note: string) => ({ PK: 'PROJECT#rail-2024', SK: 'REGION', entity: 'RegionAggregate', note });

describe('the stream failure queue message of an unpublishable record', () => {
  it('holds the whole stream record, both images included, with the reason and the time', () => {
    const record = streamRecord('MODIFY', item('after'), item('before'));

    const message = unpublishableRecordMessage(record, 'its event breaks the schema', NOW);

    expect(message).toEqual({
      kind: 'UnpublishableStreamRecord',
      reason: 'its event breaks the schema',
      noticedAt: '2024-07-01T00:00:00.000Z',
      record,
    });
    expect(message.record.dynamodb?.OldImage?.note).toEqual({ S: 'before' });
  });

  it('leaves out the old image, and says so, when both images would exceed what SQS takes', () => {
    // Items within DynamoDB's 400 KB whose JSON is six times larger (\u0001 is written "\u0001"):
    // each image fits in a message, both together do not.
    const record = streamRecord('MODIFY', item('\u0001'.repeat(100_000)), item('\u0002'.repeat(100_000)));

    const message = unpublishableRecordMessage(record, 'too large', NOW);

    expect(message.omitted).toEqual(['OldImage']);
    expect(message.record.dynamodb?.OldImage).toBeUndefined();
    expect(message.record.dynamodb?.NewImage).toEqual(record.dynamodb?.NewImage);
    expect(message.record.dynamodb?.SequenceNumber).toBe(record.dynamodb?.SequenceNumber);
    expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThanOrEqual(SQS_MAX_MESSAGE_BYTES);
  });
});
