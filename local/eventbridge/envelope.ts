/** The event EventBridge makes of a PutEvents entry, and the entry size it counts. */
import { randomUUID } from 'node:crypto';
import { isPlainObject } from '../shared/is-plain-object.js';
import type { EventEnvelope, PutEventsEntry } from './types.js';

/** 256 KB, counted as EventBridge counts it (see `entrySize`). */
export const MAX_ENTRY_BYTES = 256 * 1024;

/** ISO 8601 without milliseconds, as EventBridge writes `time`. */
const awsTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The entry size as EventBridge computes it: 14 bytes for Time when given, plus the UTF-8 bytes of
 * Source, DetailType, Detail and each resource.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html
 */
export const entrySize = (
  entry: Pick<PutEventsEntry, 'Source' | 'DetailType' | 'Detail' | 'Resources' | 'Time'>,
) =>
  (entry.Time === undefined ? 0 : 14) +
  Buffer.byteLength(entry.Source) +
  Buffer.byteLength(entry.DetailType) +
  Buffer.byteLength(entry.Detail) +
  (entry.Resources ?? []).reduce((sum, resource) => sum + Buffer.byteLength(resource), 0);

/** The event EventBridge makes of an accepted entry. Throws when Detail is not a JSON object. */
export const toEnvelope = (
  entry: PutEventsEntry,
  options: { region: string; accountId: string; id?: string; now?: Date },
): EventEnvelope => {
  const detail = JSON.parse(entry.Detail) as unknown;
  if (!isPlainObject(detail)) throw new Error('Detail must be a JSON object');
  const time =
    entry.Time === undefined
      ? (options.now ?? new Date())
      : entry.Time instanceof Date
        ? entry.Time
        : new Date(entry.Time * 1000);
  return {
    version: '0',
    id: options.id ?? randomUUID(),
    'detail-type': entry.DetailType,
    source: entry.Source,
    account: options.accountId,
    time: awsTime(time),
    region: options.region,
    resources: [...(entry.Resources ?? [])],
    detail,
  };
};
