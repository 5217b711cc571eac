import { Readable } from 'node:stream';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { bodyText, commandClass, recordCommands, replayOf } from '../../../bench/capture.js';
import { createDocumentClient } from '../../../functions/storage/client.js';
import { BatchGetCommand } from '../../../functions/storage/document-client.js';

interface Answer {
  status: number;
  body: string;
}

/** A client whose requests never leave the process: each is answered by the next of `answers`. */
const offlineClient = (answers: Answer[]) => {
  const requests: { target: string | undefined; body: string }[] = [];
  const client = new DynamoDBClient({
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { headers: Record<string, string>; body: string | Uint8Array }) => {
        requests.push({ target: request.headers['x-amz-target'], body: bodyText(request.body) });
        const answer = answers.shift() ?? { status: 200, body: '{}' };
        return {
          response: {
            statusCode: answer.status,
            headers: { 'content-type': 'application/x-amz-json-1.0' },
            body: Readable.from([Buffer.from(answer.body)]),
          },
        };
      },
    } as never,
  });
  return { client, requests };
};

const itemAnswer = JSON.stringify({
  Responses: { t: [{ PK: { S: 'PROJECT#a' }, SK: { S: 'STATE#PROJECT' }, version: { N: '3' } }] },
  UnprocessedKeys: {},
});

describe('recordCommands', () => {
  it("records a document client's command as on the wire: low-level name, marshalled input, body, status and raw answer", async () => {
    const { client } = offlineClient([{ status: 200, body: itemAnswer }]);
    const recorder = recordCommands(client);
    const db = createDocumentClient(client);
    const { result, sent } = await recorder.record(() =>
      db.send(
        new BatchGetCommand({ RequestItems: { t: { Keys: [{ PK: 'PROJECT#a', SK: 'STATE#PROJECT' }] } } }),
      ),
    );
    expect(sent).toHaveLength(1);
    const [command] = sent;
    expect(command?.name).toBe('BatchGetItemCommand');
    expect(command?.input).toEqual({
      RequestItems: { t: { Keys: [{ PK: { S: 'PROJECT#a' }, SK: { S: 'STATE#PROJECT' } }] } },
    });
    expect(JSON.parse(bodyText(command?.body ?? ''))).toEqual(command?.input);
    expect(command?.status).toBe(200);
    expect(bodyText(command?.answer ?? '')).toBe(itemAnswer);
    // The handler still gets its answer, unmarshalled, from the bytes the recorder read.
    expect(result.Responses?.t).toEqual([{ PK: 'PROJECT#a', SK: 'STATE#PROJECT', version: 3 }]);
  });

  it('records a refused call with its status and answer, and the caller still gets the error', async () => {
    const refusal = JSON.stringify({
      __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
      message: 'The conditional request failed',
    });
    const { client } = offlineClient([{ status: 400, body: refusal }]);
    const recorder = recordCommands(client);
    let failure: unknown;
    const { sent } = await recorder.record(async () => {
      try {
        await client.send(new PutItemCommand({ TableName: 't', Item: { PK: { S: 'a' }, SK: { S: 'b' } } }));
      } catch (error) {
        failure = error;
      }
    });
    expect((failure as Error).name).toBe('ConditionalCheckFailedException');
    expect(sent.map(({ name, status }) => ({ name, status }))).toEqual([
      { name: 'PutItemCommand', status: 400 },
    ]);
    expect(bodyText(sent[0]?.answer ?? '')).toBe(refusal);
  });

  it('records only inside record(), and each recording on its own', async () => {
    const { client } = offlineClient([]);
    const recorder = recordCommands(client);
    const put = () =>
      client.send(new PutItemCommand({ TableName: 't', Item: { PK: { S: 'a' }, SK: { S: 'b' } } }));
    await put();
    const first = await recorder.record(put);
    await put();
    const second = await recorder.record(async () => {
      await put();
      await put();
    });
    expect(first.sent).toHaveLength(1);
    expect(second.sent).toHaveLength(2);
  });

  it('refuses overlapping recordings', async () => {
    const { client } = offlineClient([]);
    const recorder = recordCommands(client);
    await expect(recorder.record(() => recorder.record(async () => 1))).rejects.toThrow(/overlap/);
  });
});

describe('replayOf', () => {
  it('sends the recorded commands, in order, with the low-level client, as the same bodies', async () => {
    const original = offlineClient([{ status: 200, body: itemAnswer }]);
    const recorder = recordCommands(original.client);
    const db = createDocumentClient(original.client);
    const { sent } = await recorder.record(async () => {
      await db.send(
        new BatchGetCommand({ RequestItems: { t: { Keys: [{ PK: 'PROJECT#a', SK: 'STATE#PROJECT' }] } } }),
      );
      await original.client.send(
        new PutItemCommand({ TableName: 't', Item: { PK: { S: 'a' }, SK: { S: 'b' } } }),
      );
    });
    const replay = offlineClient([{ status: 200, body: itemAnswer }]);
    await replayOf(replay.client, sent)();
    expect(replay.requests).toEqual(original.requests);
    expect(replay.requests.map((request) => request.target)).toEqual([
      'DynamoDB_20120810.BatchGetItem',
      'DynamoDB_20120810.PutItem',
    ]);
  });

  it('refuses a name that is not a command of the low-level client, before sending anything', () => {
    const { client, requests } = offlineClient([]);
    for (const name of ['DynamoDBClient', 'NoSuchCommand', 'paginateQuery']) {
      expect(() =>
        replayOf(client, [
          { name: 'PutItemCommand', input: {} },
          { name, input: {} },
        ]),
      ).toThrow(/not a command/);
    }
    expect(requests).toEqual([]);
    expect(commandClass('QueryCommand').name).toBe('QueryCommand');
  });
});
