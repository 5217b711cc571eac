/** One invocation of the mapping's function, read as Lambda reads it (partial batch responses included). */
import type { DynamoDBRecord } from 'aws-lambda';
import { errorText } from '../shared/error-text.js';
import { sequenceOf } from './lambda-record.js';
import type { StreamHandler, StreamSourceSettings } from './types.js';

/** Success, a partial failure from the record at `index` on, or an error of the whole batch. */
export type Outcome =
  | { kind: 'ok' }
  | { kind: 'partial'; index: number }
  | { kind: 'error'; message: string };

export const invokeHandler = async (
  handler: StreamHandler,
  settings: StreamSourceSettings,
  batch: DynamoDBRecord[],
): Promise<Outcome> => {
  let result: unknown;
  try {
    result = await handler({ Records: batch });
  } catch (error) {
    return { kind: 'error', message: errorText(error) };
  }
  if (!settings.reportBatchItemFailures || result === undefined || result === null) return { kind: 'ok' };
  const failures = (result as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'ok' };
  if (!Array.isArray(failures)) return { kind: 'error', message: 'batchItemFailures is not a list' };
  if (failures.length === 0) return { kind: 'ok' };
  let first = batch.length;
  for (const failure of failures) {
    // Lambda: an empty, missing or unknown itemIdentifier fails the whole batch.
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const index =
      typeof id === 'string' && id !== '' ? batch.findIndex((record) => sequenceOf(record) === id) : -1;
    if (index < 0) return { kind: 'error', message: `batchItemFailures names ${JSON.stringify(id)}` };
    first = Math.min(first, index);
  }
  return { kind: 'partial', index: first };
};
