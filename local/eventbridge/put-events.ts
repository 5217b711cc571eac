/**
 * PutEvents as EventBridge answers it: the request's checks, each entry's checks (a bad entry
 * fails alone), and the event made of each good entry with the rule targets it matched.
 */
import { isPlainObject } from '../shared/is-plain-object.js';
import { AwsError } from './aws-error.js';
import { entrySize, MAX_ENTRY_BYTES, toEnvelope } from './envelope.js';
import type { JournalRecord } from './event-journal.js';
import type { PutEventsEntry } from './types.js';

export const MAX_ENTRIES_PER_REQUEST = 10;
const MAX_SOURCE_LENGTH = 256;
const MAX_DETAIL_TYPE_LENGTH = 128;

export type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** A rule as the bus holds it: its name, its target ids and its compiled pattern. */
export interface CompiledRule {
  name: string;
  targetIds: readonly string[];
  matches: (event: unknown) => boolean;
}

export interface PutEventsContext {
  busName: string;
  busArn: string;
  region: string;
  accountId: string;
  rules: readonly CompiledRule[];
}

/** The key of one owed delivery: `rule/target`. */
export const targetKey = (rule: string, target: string) => `${rule}/${target}`;

const entryError = (ErrorCode: string, ErrorMessage: string) => ({ ErrorCode, ErrorMessage });

const validateEntry = (
  raw: unknown,
  busName: string,
  busArn: string,
): PutEventsEntry | { ErrorCode: string; ErrorMessage: string } => {
  if (!isPlainObject(raw)) return entryError('InvalidArgument', 'Each entry must be an object.');
  const busField = raw.EventBusName ?? 'default';
  if (typeof busField !== 'string' || (busField !== busName && busField !== busArn)) {
    return entryError(
      'ResourceNotFoundException',
      `Event bus ${String(busField)} does not exist. The local bus is ${busName} (${busArn}).`,
    );
  }
  const required = (name: 'Source' | 'DetailType' | 'Detail') => {
    const value = raw[name];
    return typeof value === 'string' && value !== ''
      ? null
      : `Parameter(s) ${name} is not valid. Reason: ${name} is a required argument.`;
  };
  for (const name of ['Source', 'DetailType', 'Detail'] as const) {
    const problem = required(name);
    if (problem) return entryError('InvalidArgument', problem);
  }
  const { Source, DetailType, Detail, Resources, Time } = raw as Record<string, unknown> & {
    Source: string;
    DetailType: string;
    Detail: string;
  };
  if (Source.length > MAX_SOURCE_LENGTH) {
    return entryError(
      'InvalidArgument',
      `Parameter(s) Source is not valid. Reason: longer than ${MAX_SOURCE_LENGTH}.`,
    );
  }
  if (DetailType.length > MAX_DETAIL_TYPE_LENGTH) {
    return entryError(
      'InvalidArgument',
      `Parameter(s) DetailType is not valid. Reason: longer than ${MAX_DETAIL_TYPE_LENGTH}.`,
    );
  }
  if (
    Resources !== undefined &&
    !(Array.isArray(Resources) && Resources.every((item) => typeof item === 'string'))
  ) {
    return entryError(
      'InvalidArgument',
      'Parameter(s) Resources is not valid. Reason: a list of strings is expected.',
    );
  }
  if (Time !== undefined && !(typeof Time === 'number' && Number.isFinite(Time))) {
    return entryError(
      'InvalidArgument',
      'Parameter(s) Time is not valid. Reason: epoch seconds are expected.',
    );
  }
  const entry: PutEventsEntry = {
    Source,
    DetailType,
    Detail,
    ...(Resources === undefined ? {} : { Resources: Resources as string[] }),
    ...(Time === undefined ? {} : { Time: Time as number }),
  };
  const size = entrySize(entry);
  if (size > MAX_ENTRY_BYTES) {
    return entryError(
      'InvalidArgument',
      `The entry size of ${size} bytes exceeds the limit of ${MAX_ENTRY_BYTES} bytes.`,
    );
  }
  let detail: unknown;
  try {
    detail = JSON.parse(Detail);
  } catch {
    return entryError('MalformedDetail', 'Detail is malformed.');
  }
  if (!isPlainObject(detail)) return entryError('MalformedDetail', 'Detail is malformed.');
  return entry;
};

/**
 * Checks a PutEvents request body and makes an event of each good entry. Returns the answer's
 * entries and the events some rule matched (the others are accepted and go nowhere).
 */
export const readPutEvents = (
  body: unknown,
  context: PutEventsContext,
): { results: EntryResult[]; accepted: JournalRecord[] } => {
  if (!isPlainObject(body) || !Array.isArray(body.Entries)) {
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
    );
  }
  const entries = body.Entries as unknown[];
  if (entries.length < 1 || entries.length > MAX_ENTRIES_PER_REQUEST) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${entries.length} entries' at 'entries' failed to satisfy constraint: ` +
        `Member must have length ${entries.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ENTRIES_PER_REQUEST}`}`,
    );
  }
  const { region, accountId } = context;
  const now = new Date();
  const results: EntryResult[] = [];
  const accepted: JournalRecord[] = [];
  for (const raw of entries) {
    const checked = validateEntry(raw, context.busName, context.busArn);
    if ('ErrorCode' in checked) {
      results.push(checked);
      continue;
    }
    const envelope = toEnvelope(checked, { region, accountId, now });
    const keys = context.rules.flatMap((rule) =>
      rule.matches(envelope) ? rule.targetIds.map((id) => targetKey(rule.name, id)) : [],
    );
    if (keys.length > 0) accepted.push({ envelope, targets: keys, acceptedAt: now.getTime() });
    results.push({ EventId: envelope.id });
  }
  return { results, accepted };
};
