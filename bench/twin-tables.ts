/**
 * The replay's commands go to a twin of the handler's table, seeded by the very same commands:
 * the twin is in the state the handler's table was in before each round, so every conditional
 * write the handler committed commits again in the replay, and reads find the same items. Pure,
 * so that tests/unit/bench holds it.
 */
import { bodyText, type RawCommand, type SentCommand } from './capture.js';

export interface TwinTables {
  /** Where the handler reads and writes. */
  handler: string;
  /** Where the replay sends the same commands. */
  replay: string;
}

/** Names of the same length, so that the replayed requests and answers are the same size too. */
export const twinTables = (handler: string, replay: string): TwinTables => {
  if (handler === replay || handler.length !== replay.length) {
    throw new Error(`twin tables need distinct names of one length, got "${handler}" and "${replay}"`);
  }
  return { handler, replay };
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);

const retargetValue = (value: unknown, tables: TwinTables): unknown => {
  if (Array.isArray(value)) return value.map((item) => retargetValue(item, tables));
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      if (key === 'TableName' && item === tables.handler) return [key, tables.replay];
      if (key === 'RequestItems' && isPlainObject(item)) {
        // BatchGetItem and BatchWriteItem name their tables as keys.
        return [
          key,
          Object.fromEntries(
            Object.entries(item).map(([table, request]) => [
              table === tables.handler ? tables.replay : table,
              retargetValue(request, tables),
            ]),
          ),
        ];
      }
      return [key, retargetValue(item, tables)];
    }),
  );
};

/**
 * The command sent to the twin: a copy of its input, key order kept, with the handler's table
 * renamed wherever DynamoDB takes a table name (`TableName`, the keys of `RequestItems`); values,
 * binary ones included, as they were.
 */
export const retarget = (command: RawCommand, tables: TwinTables): RawCommand => ({
  name: command.name,
  input: retargetValue(command.input, tables) as Record<string, unknown>,
});

/**
 * The SDK fills TransactWriteItems' idempotency token with a fresh UUID on every call, on both
 * sides alike (the handler's token could not be sent again: DynamoDB would take the twin's
 * transaction for a different one under the same token).
 */
const FRESH_TOKEN = /"ClientRequestToken":"[^"]*"/g;

const withoutToken = (body: string): string => body.replace(FRESH_TOKEN, '"ClientRequestToken":"…"');

/** Text of the handler's side with its table's name as the twin's, to compare with the replay's. */
const asTwin = (text: string, tables: TwinTables): string =>
  text.replaceAll(JSON.stringify(tables.handler), JSON.stringify(tables.replay));

/**
 * Why a round's replay did not do the handler's database work, or nothing: the same number of
 * commands, each of the same class with the same body on the wire (table name and fresh
 * idempotency token aside), every one
 * answered 200 on both sides, and with the same answer (the same items read).
 */
export const replayDifferences = (
  handlerSent: readonly SentCommand[],
  replaySent: readonly SentCommand[],
  tables: TwinTables,
): string[] => {
  if (handlerSent.length !== replaySent.length) {
    return [`the handler sent ${handlerSent.length} commands, the replay ${replaySent.length}`];
  }
  return handlerSent.flatMap((sent, index) => {
    const replayed = replaySent[index] as SentCommand;
    const at = `command ${index + 1} (${sent.name})`;
    const problems: string[] = [];
    if (replayed.name !== sent.name) problems.push(`${at}: replayed as ${replayed.name}`);
    for (const [side, command] of [
      ['handler', sent],
      ['replay', replayed],
    ] as const) {
      if (command.status !== 200) {
        problems.push(`${at}: the ${side}'s call was answered ${command.status ?? 'nothing'}`);
      }
    }
    if (withoutToken(bodyText(replayed.body)) !== asTwin(withoutToken(bodyText(sent.body)), tables)) {
      problems.push(`${at}: the replay's request body differs from the handler's`);
    }
    if (bodyText(replayed.answer ?? '') !== asTwin(bodyText(sent.answer ?? ''), tables)) {
      problems.push(`${at}: the replay's answer differs from the handler's`);
    }
    return problems;
  });
};
