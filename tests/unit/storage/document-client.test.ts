import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand as QueryItemsCommand,
  ScanCommand as ScanItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '../../../functions/storage/document-client.js';
import { transactionCanceled } from '../../support/mock-db.js';

const client = new DynamoDBClient({
  region: 'ap-northeast-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
const wire = mockClient(client);
const db = new DocumentClient(client);

beforeEach(() => wire.reset());

/** One value of each kind the table holds, as JavaScript values and as DynamoDB stores them. */
const NATIVE = {
  PK: 'PROJECT#rail-2024',
  empty: '',
  count: 42,
  share: 12.5,
  negative: -3,
  large: 12345678901234567890n,
  flag: false,
  nothing: null,
  bytes: new Uint8Array([1, 2, 3]),
  provinces: new Set(['guizhou', 'yunnan']),
  targets: new Set([1, 2.5]),
  list: ['a', 1, { deep: true }],
  nested: { region: { share: 0.5, names: ['x'], inner: { emptyText: '' } } },
};
const MARSHALLED = {
  PK: { S: 'PROJECT#rail-2024' },
  empty: { S: '' },
  count: { N: '42' },
  share: { N: '12.5' },
  negative: { N: '-3' },
  large: { N: '12345678901234567890' },
  flag: { BOOL: false },
  nothing: { NULL: true },
  bytes: { B: new Uint8Array([1, 2, 3]) },
  provinces: { SS: ['guizhou', 'yunnan'] },
  targets: { NS: ['1', '2.5'] },
  list: { L: [{ S: 'a' }, { N: '1' }, { M: { deep: { BOOL: true } } }] },
  nested: {
    M: {
      region: {
        M: {
          share: { N: '0.5' },
          names: { L: [{ S: 'x' }] },
          inner: { M: { emptyText: { S: '' } } },
        },
      },
    },
  },
};

const KEY = { PK: 'PROJECT#rail-2024', SK: 'STATE#PROJECT' };
const MARSHALLED_KEY = { PK: { S: 'PROJECT#rail-2024' }, SK: { S: 'STATE#PROJECT' } };

describe('the document client', () => {
  it('puts every kind of value as DynamoDB stores it, leaving out undefined members at any depth', async () => {
    wire.on(PutItemCommand).resolves({});
    await db.send(
      new PutCommand({
        TableName: 'tracker',
        Item: { ...NATIVE, unset: undefined, nested: { ...NATIVE.nested, gone: undefined } },
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':expected': 3, ':unset': undefined },
      }),
    );
    expect(wire.commandCalls(PutItemCommand).map((call) => call.args[0].input)).toEqual([
      {
        TableName: 'tracker',
        Item: MARSHALLED,
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':expected': { N: '3' } },
      },
    ]);
  });

  it('reads every kind of value back, numbers past 2^53 as bigint and sets as Set', async () => {
    wire.on(GetItemCommand, { Key: MARSHALLED_KEY }).resolves({ Item: MARSHALLED });
    const answer = await db.send(new GetCommand({ TableName: 'tracker', Key: KEY, ConsistentRead: true }));
    expect(answer.Item).toEqual(NATIVE);
    expect(typeof answer.Item?.large).toBe('bigint');
    expect(answer.Item?.provinces).toBeInstanceOf(Set);
    expect(wire.commandCalls(GetItemCommand)[0]?.args[0].input).toEqual({
      TableName: 'tracker',
      Key: MARSHALLED_KEY,
      ConsistentRead: true,
    });
  });

  it('answers a missing item without an Item member', async () => {
    wire.on(GetItemCommand).resolves({ $metadata: {} });
    const answer = await db.send(new GetCommand({ TableName: 'tracker', Key: KEY }));
    expect(answer).toEqual({ $metadata: {} });
    expect('Item' in answer).toBe(false);
  });

  it('refuses a JavaScript number DynamoDB would store inexactly, as util-dynamodb does', async () => {
    await expect(
      db.send(new PutCommand({ TableName: 'tracker', Item: { PK: 'x', big: 2 ** 60 } })),
    ).rejects.toThrow(/MAX_SAFE_INTEGER/);
    await expect(
      db.send(new PutCommand({ TableName: 'tracker', Item: { PK: 'x', when: new Date(0) } })),
    ).rejects.toThrow(/Unsupported type/);
    expect(wire.calls()).toHaveLength(0);
  });

  it('pages a query: start key and values marshalled, items and last key read back', async () => {
    wire.on(QueryItemsCommand).resolves({
      Items: [MARSHALLED, { PK: { S: 'b' }, n: { N: '1' } }],
      LastEvaluatedKey: MARSHALLED_KEY,
      Count: 2,
    });
    const page = await db.send(
      new QueryCommand({
        TableName: 'tracker',
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :year',
        ExpressionAttributeValues: { ':year': 'YEAR#2024' },
        ExclusiveStartKey: KEY,
      }),
    );
    expect(page).toEqual({ Items: [NATIVE, { PK: 'b', n: 1 }], LastEvaluatedKey: KEY, Count: 2 });
    expect(wire.commandCalls(QueryItemsCommand)[0]?.args[0].input).toEqual({
      TableName: 'tracker',
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :year',
      ExpressionAttributeValues: { ':year': { S: 'YEAR#2024' } },
      ExclusiveStartKey: MARSHALLED_KEY,
    });
  });

  it('sends no start key on a first page and reads a last page without one', async () => {
    wire.on(ScanItemsCommand).resolves({ Items: [], Count: 0 });
    const page = await db.send(new ScanCommand({ TableName: 'tracker', ExclusiveStartKey: undefined }));
    expect(page).toEqual({ Items: [], Count: 0 });
    const sent = wire.commandCalls(ScanItemsCommand)[0]?.args[0].input;
    expect(sent).toEqual({ TableName: 'tracker' });
    expect(sent && 'ExclusiveStartKey' in sent).toBe(false);
  });

  it('updates with its key and values marshalled, and reads returned attributes back', async () => {
    wire.on(UpdateItemCommand).resolves({ Attributes: { count: { N: '43' } } });
    const answer = await db.send(
      new UpdateCommand({
        TableName: 'tracker',
        Key: KEY,
        UpdateExpression: 'SET #count = #count + :one, provinces = :set',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':one': 1, ':set': new Set(['guizhou']) },
      }),
    );
    expect(answer.Attributes).toEqual({ count: 43 });
    expect(wire.commandCalls(UpdateItemCommand)[0]?.args[0].input).toEqual({
      TableName: 'tracker',
      Key: MARSHALLED_KEY,
      UpdateExpression: 'SET #count = #count + :one, provinces = :set',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':one': { N: '1' }, ':set': { SS: ['guizhou'] } },
    });
  });

  it('batch-gets: keys of every table marshalled, responses and unprocessed keys read back', async () => {
    wire.on(BatchGetItemCommand).resolves({
      Responses: { tracker: [MARSHALLED] },
      UnprocessedKeys: { tracker: { Keys: [MARSHALLED_KEY], ConsistentRead: true } },
    });
    const answer = await db.send(
      new BatchGetCommand({ RequestItems: { tracker: { Keys: [KEY, KEY], ConsistentRead: true } } }),
    );
    expect(answer).toEqual({
      Responses: { tracker: [NATIVE] },
      UnprocessedKeys: { tracker: { Keys: [KEY], ConsistentRead: true } },
    });
    expect(wire.commandCalls(BatchGetItemCommand)[0]?.args[0].input).toEqual({
      RequestItems: { tracker: { Keys: [MARSHALLED_KEY, MARSHALLED_KEY], ConsistentRead: true } },
    });
  });

  it('batch-writes puts and deletes, and reads unprocessed ones back', async () => {
    wire.on(BatchWriteItemCommand).resolves({
      UnprocessedItems: { tracker: [{ DeleteRequest: { Key: MARSHALLED_KEY } }] },
    });
    const answer = await db.send(
      new BatchWriteCommand({
        RequestItems: { tracker: [{ PutRequest: { Item: NATIVE } }, { DeleteRequest: { Key: KEY } }] },
      }),
    );
    expect(answer).toEqual({ UnprocessedItems: { tracker: [{ DeleteRequest: { Key: KEY } }] } });
    expect(wire.commandCalls(BatchWriteItemCommand)[0]?.args[0].input).toEqual({
      RequestItems: {
        tracker: [{ PutRequest: { Item: MARSHALLED } }, { DeleteRequest: { Key: MARSHALLED_KEY } }],
      },
    });
  });

  it('writes a transaction of every kind of item with its keys, items and values marshalled', async () => {
    wire.on(TransactWriteItemsCommand).resolves({});
    await db.send(
      new TransactWriteCommand({
        ClientRequestToken: 'token',
        TransactItems: [
          {
            ConditionCheck: {
              TableName: 'tracker',
              Key: KEY,
              ConditionExpression: 'version = :v',
              ExpressionAttributeValues: { ':v': 1 },
            },
          },
          { Put: { TableName: 'tracker', Item: NATIVE, ConditionExpression: 'attribute_not_exists(PK)' } },
          { Delete: { TableName: 'tracker', Key: KEY } },
          {
            Update: {
              TableName: 'tracker',
              Key: KEY,
              UpdateExpression: 'SET n = :n',
              ExpressionAttributeValues: { ':n': 2n },
            },
          },
        ],
      }),
    );
    expect(wire.commandCalls(TransactWriteItemsCommand)[0]?.args[0].input).toEqual({
      ClientRequestToken: 'token',
      TransactItems: [
        {
          ConditionCheck: {
            TableName: 'tracker',
            Key: MARSHALLED_KEY,
            ConditionExpression: 'version = :v',
            ExpressionAttributeValues: { ':v': { N: '1' } },
          },
        },
        {
          Put: { TableName: 'tracker', Item: MARSHALLED, ConditionExpression: 'attribute_not_exists(PK)' },
        },
        { Delete: { TableName: 'tracker', Key: MARSHALLED_KEY } },
        {
          Update: {
            TableName: 'tracker',
            Key: MARSHALLED_KEY,
            UpdateExpression: 'SET n = :n',
            ExpressionAttributeValues: { ':n': { N: '2' } },
          },
        },
      ],
    });
  });

  it("passes DynamoDB's errors through as they are, so that callers read their name and reasons", async () => {
    const cancelled = transactionCanceled('None', 'ConditionalCheckFailed');
    wire.on(TransactWriteItemsCommand).rejects(cancelled);
    await expect(
      db.send(new TransactWriteCommand({ TransactItems: [{ Delete: { TableName: 'tracker', Key: KEY } }] })),
    ).rejects.toBe(cancelled);
  });
});
