/**
 * The local-API case's baseline, run as its own process: a bare node:http server that answers
 * GET /projects/{id} with the very Query getProject sends (see project-query.ts) on the runtime's
 * DynamoDB Local, and the items as JSON. No routing table, no event, no logging: what is left of
 * a request when our code is taken away.
 *
 * Environment: AWS_ENDPOINT_URL_DYNAMODB (and the local credentials), the table's name in
 * TABLE_NAME, the port in PORT. Prints `listening on <url>` once it serves.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { CATALOGUE_2024 } from '../functions/domain/catalogue-2024.js';
import { tableNameFromEnv } from '../functions/storage/client.js';
import { LOCAL_CLIENT_CONFIG } from '../local/dynamodb-client.js';
import { projectViewQuery } from './project-query.js';

const PREFIX = '/projects/';

const main = async () => {
  const tableName = tableNameFromEnv();
  // Captured once per project before serving: a request then only sends its command.
  const queries = new Map<string, QueryCommandInput>();
  for (const { id } of CATALOGUE_2024) queries.set(id, await projectViewQuery(tableName, id));
  // The same socket pool as the runtime's handlers (local/dynamodb-client.ts).
  const client = new DynamoDBClient(LOCAL_CLIENT_CONFIG);

  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    const query = path.startsWith(PREFIX) ? queries.get(path.slice(PREFIX.length)) : undefined;
    if (request.method !== 'GET' || query === undefined) {
      response.writeHead(404).end();
      return;
    }
    // The state items of a project are at most six: one page, as getView finds them.
    client.send(new QueryCommand(query)).then(
      (page) => {
        const body = JSON.stringify({ items: (page.Items ?? []).map((item) => unmarshall(item)) });
        response.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
        });
        response.end(body);
      },
      (error: unknown) => {
        console.error(error);
        response.writeHead(500).end();
      },
    );
  });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
