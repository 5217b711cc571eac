import { describe, expect, it } from 'vitest';
import type { SentCommand } from '../../../bench/capture.js';
import { replayDifferences, retarget, twinTables } from '../../../bench/twin-tables.js';

const tables = twinTables('bench-product', 'bench-raw-sdk');

describe('twinTables', () => {
  it('takes two distinct names of one length', () => {
    expect(tables).toEqual({ handler: 'bench-product', replay: 'bench-raw-sdk' });
  });

  it('refuses names of different lengths, or the same name twice', () => {
    expect(() => twinTables('bench', 'bench-twin')).toThrow(/one length/);
    expect(() => twinTables('bench', 'bench')).toThrow(/distinct/);
  });
});

describe('retarget', () => {
  it("renames the handler's table in TableName and RequestItems at any depth, and nothing else", () => {
    const binary = new Uint8Array([1, 2, 3]);
    const input = {
      TransactItems: [
        { Put: { TableName: 'bench-product', Item: { PK: { S: 'bench-product' }, data: { B: binary } } } },
        { ConditionCheck: { TableName: 'other', Key: { PK: { S: 'x' } } } },
      ],
      RequestItems: { 'bench-product': { Keys: [{ TableName: { S: 'kept' } }] }, other: { Keys: [] } },
    };
    const original = structuredClone(input);
    const { name, input: twin } = retarget({ name: 'TransactWriteItemsCommand', input }, tables);
    expect(name).toBe('TransactWriteItemsCommand');
    expect(twin).toEqual({
      TransactItems: [
        { Put: { TableName: 'bench-raw-sdk', Item: { PK: { S: 'bench-product' }, data: { B: binary } } } },
        { ConditionCheck: { TableName: 'other', Key: { PK: { S: 'x' } } } },
      ],
      RequestItems: { 'bench-raw-sdk': { Keys: [{ TableName: { S: 'kept' } }] }, other: { Keys: [] } },
    });
    // Key order kept, so that the replay serialises to the same bytes; the handler's input untouched.
    expect(JSON.stringify(Object.keys((twin.RequestItems as object) ?? {}))).toBe(
      '["bench-raw-sdk","other"]',
    );
    expect(input).toEqual(original);
    expect((twin.TransactItems as { Put?: { Item: { data: { B: unknown } } } }[])[0]?.Put?.Item.data.B).toBe(
      binary,
    );
  });
});

const sent = (changes: Partial<SentCommand> & { table?: string; token?: string }): SentCommand => {
  const table = changes.table ?? 'bench-product';
  return {
    name: 'TransactWriteItemsCommand',
    input: {},
    body: `{"TransactItems":[{"Put":{"TableName":"${table}"}}],"ClientRequestToken":"${changes.token ?? 'a1'}"}`,
    status: 200,
    answer: new TextEncoder().encode(`{"Responses":{"${table}":[]}}`),
    ...changes,
  };
};

describe('replayDifferences', () => {
  it('finds none when the replay sent the same commands to the twin and got the same answers', () => {
    const handler = [sent({ token: 'f00' }), sent({ name: 'QueryCommand' })];
    const replay = [
      sent({ table: 'bench-raw-sdk', token: 'ba4' }),
      sent({ name: 'QueryCommand', table: 'bench-raw-sdk' }),
    ];
    expect(replayDifferences(handler, replay, tables)).toEqual([]);
  });

  it('finds a different number of commands', () => {
    expect(replayDifferences([sent({}), sent({})], [sent({ table: 'bench-raw-sdk' })], tables)).toEqual([
      'the handler sent 2 commands, the replay 1',
    ]);
  });

  it('finds another command class, another body, another answer, a failed call on either side', () => {
    const replayed = sent({ table: 'bench-raw-sdk' });
    expect(replayDifferences([sent({})], [{ ...replayed, name: 'PutItemCommand' }], tables)).toEqual([
      'command 1 (TransactWriteItemsCommand): replayed as PutItemCommand',
    ]);
    expect(replayDifferences([sent({})], [{ ...replayed, body: `${bodyOf(replayed)} ` }], tables)).toEqual([
      "command 1 (TransactWriteItemsCommand): the replay's request body differs from the handler's",
    ]);
    expect(
      replayDifferences(
        [sent({})],
        [{ ...replayed, answer: new TextEncoder().encode('{"Responses":{}}') }],
        tables,
      ),
    ).toEqual(["command 1 (TransactWriteItemsCommand): the replay's answer differs from the handler's"]);
    expect(replayDifferences([sent({})], [{ ...replayed, status: 400 }], tables)).toEqual([
      "command 1 (TransactWriteItemsCommand): the replay's call was answered 400",
    ]);
    const { status: _status, ...unanswered } = sent({});
    expect(replayDifferences([unanswered], [replayed], tables)).toEqual([
      "command 1 (TransactWriteItemsCommand): the handler's call was answered nothing",
    ]);
  });

  it("finds a replay sent to the handler's own table", () => {
    expect(replayDifferences([sent({})], [sent({})], tables)).toEqual([
      "command 1 (TransactWriteItemsCommand): the replay's request body differs from the handler's",
      "command 1 (TransactWriteItemsCommand): the replay's answer differs from the handler's",
    ]);
  });
});

const bodyOf = (command: SentCommand): string => command.body as string;
