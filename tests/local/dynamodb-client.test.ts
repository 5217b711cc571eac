/**
 * The handlers' DynamoDB clients in the local runtime: every invocation shares one process, so
 * a burst of reports must reach the database at once rather than queue behind the SDK's 50
 * sockets (and run into its timeout).
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDocumentClient, useDefaultClientConfig } from '../../functions/storage/client.js';
import { GetCommand } from '../../functions/storage/document-client.js';
import { LOCAL_CLIENT_CONFIG } from '../../local/dynamodb-client.js';
import { localDynamoEnv } from '../../local/table.js';

const BURST = 200;

afterEach(() => {
  vi.unstubAllEnvs();
  useDefaultClientConfig({});
});

describe('the local runtime’s DynamoDB clients', () => {
  it(`carry ${BURST} requests to the database at the same time`, async () => {
    // A database that answers nobody until it holds the whole burst: with too few sockets the
    // requests beyond the pool never arrive, and neither does any answer.
    const held: ServerResponse[] = [];
    const database = createServer((request, response) => {
      request.resume();
      held.push(response);
      if (held.length < BURST) return;
      for (const waiting of held) {
        waiting.setHeader('content-type', 'application/x-amz-json-1.0');
        waiting.end('{}');
      }
    });
    await new Promise<void>((listening) => database.listen(0, '127.0.0.1', listening));
    const { port } = database.address() as AddressInfo;
    for (const [name, value] of Object.entries(localDynamoEnv(`http://127.0.0.1:${port}`))) {
      vi.stubEnv(name, value);
    }
    useDefaultClientConfig(LOCAL_CLIENT_CONFIG);
    // The client every handler builds by default.
    const db = createDocumentClient();
    try {
      const answers = await Promise.all(
        Array.from({ length: BURST }, (_, i) =>
          db.send(new GetCommand({ TableName: 'burst', Key: { pk: `P#${i}`, sk: 'S' } })),
        ),
      );
      expect(answers.map((answer) => answer.Item)).toEqual(Array(BURST).fill(undefined));
      expect(held).toHaveLength(BURST);
    } finally {
      db.client.destroy();
      database.closeAllConnections();
      await new Promise((closed) => database.close(closed));
    }
  });
});
