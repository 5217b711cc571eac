/** The operations on received messages, by receipt handle: delete and change visibility, one or in batches. */
import { MAX_VISIBILITY_SECONDS } from './config.js';
import { batchFailure, errors } from './errors.js';
import { entriesOf, type Json, optionalInteger, requiredString } from './parameters.js';
import type { QueueState } from './queue-state.js';

/** Runs `apply` on each entry of a batch request, collecting the per-entry outcomes as SQS reports them. */
const eachEntry = (input: Json, apply: (entry: Json) => void): Json => {
  const Successful: Json[] = [];
  const Failed: Json[] = [];
  for (const entry of entriesOf(input)) {
    const id = entry.Id as string;
    try {
      apply(entry);
      Successful.push({ Id: id });
    } catch (error) {
      Failed.push(batchFailure(id, error));
    }
  }
  return { Successful, Failed };
};

const visibilityTimeout = (input: Json): number => {
  const seconds = optionalInteger(input, 'VisibilityTimeout', 0, MAX_VISIBILITY_SECONDS);
  if (seconds === undefined) throw errors.missingParameter('VisibilityTimeout');
  return seconds;
};

export const deleteMessage = (state: QueueState, input: Json): Json => {
  const queue = state.queueFromUrl(requiredString(input, 'QueueUrl'));
  state.deleteByHandle(queue, requiredString(input, 'ReceiptHandle'));
  return {};
};

export const deleteMessageBatch = (state: QueueState, input: Json): Json => {
  const queue = state.queueFromUrl(requiredString(input, 'QueueUrl'));
  return eachEntry(input, (entry) => state.deleteByHandle(queue, requiredString(entry, 'ReceiptHandle')));
};

export const changeMessageVisibility = (state: QueueState, input: Json): Json => {
  const queue = state.queueFromUrl(requiredString(input, 'QueueUrl'));
  const handle = requiredString(input, 'ReceiptHandle');
  state.changeVisibility(queue, handle, visibilityTimeout(input));
  return {};
};

export const changeMessageVisibilityBatch = (state: QueueState, input: Json): Json => {
  const queue = state.queueFromUrl(requiredString(input, 'QueueUrl'));
  return eachEntry(input, (entry) => {
    const seconds = visibilityTimeout(entry);
    state.changeVisibility(queue, requiredString(entry, 'ReceiptHandle'), seconds);
  });
};
