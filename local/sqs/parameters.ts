/** Reading a request's parameters as SQS does, with SQS's errors for what does not fit. */
import { MAX_BATCH_ENTRIES } from './config.js';
import { errors } from './errors.js';

const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

export type Json = Record<string, unknown>;

export const optionalString = (input: Json, name: string): string | undefined => {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw errors.invalidParameter(`Value for parameter ${name} is invalid.`);
  return value;
};

export const requiredString = (input: Json, name: string): string => {
  const value = optionalString(input, name);
  if (value === undefined) throw errors.missingParameter(name);
  return value;
};

export const optionalInteger = (input: Json, name: string, min: number, max: number): number | undefined => {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw errors.invalidParameter(
      `Value ${String(value)} for parameter ${name} is invalid. Reason: must be between ${min} and ${max}.`,
    );
  }
  return value;
};

export const stringList = (input: Json, name: string): string[] => {
  const value = input[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw errors.invalidParameter(`Value for parameter ${name} is invalid.`);
  }
  return value;
};

export const entriesOf = (input: Json): Json[] => {
  const value = input.Entries;
  if (value === undefined || value === null) throw errors.missingParameter('Entries');
  if (!Array.isArray(value)) throw errors.invalidParameter('Value for parameter Entries is invalid.');
  if (value.length === 0) throw errors.emptyBatch();
  if (value.length > MAX_BATCH_ENTRIES) throw errors.tooManyEntries(value.length);
  const seen = new Set<string>();
  for (const entry of value) {
    if (typeof entry !== 'object' || entry === null) {
      throw errors.invalidParameter('Value for parameter Entries is invalid.');
    }
    const id = (entry as Json).Id;
    if (typeof id !== 'string' || !BATCH_ENTRY_ID.test(id)) throw errors.invalidBatchEntryId();
    if (seen.has(id)) throw errors.idsNotDistinct(id);
    seen.add(id);
  }
  return value as Json[];
};
