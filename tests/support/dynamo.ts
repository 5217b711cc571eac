/**
 * A fresh, uniquely named table on the test run's DynamoDB Local, created from the same
 * definition CDK deploys. Call `drop()` in afterAll.
 */
import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { createDocumentClient } from '../../functions/storage/client.js';
import type { DocumentClient } from '../../functions/storage/document-client.js';
import { LOCAL_CLIENT_CONFIG } from '../../local/dynamodb-client.js';
import { ensureTable, LOCAL_CREDENTIAL, LOCAL_REGION } from '../../local/table.js';

export interface TestTable {
  tableName: string;
  client: DynamoDBClient;
  doc: DocumentClient;
  /** Deletes the table and releases the client. */
  drop(): Promise<void>;
}

/**
 * A client of the test run's DynamoDB Local, configured like the local runtime's: a test runs
 * many invocations at once in one process. Its own, so a test may add middleware to it.
 */
export const testDynamoClient = () =>
  new DynamoDBClient({
    ...LOCAL_CLIENT_CONFIG,
    endpoint: inject('dynamoEndpoint'),
    region: LOCAL_REGION,
    credentials: { accessKeyId: LOCAL_CREDENTIAL, secretAccessKey: LOCAL_CREDENTIAL },
  });

export const createTestTable = async (prefix = 'test'): Promise<TestTable> => {
  const safePrefix = prefix.replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 200);
  const tableName = `${safePrefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const client = testDynamoClient();
  await ensureTable(client, tableName);
  const doc = createDocumentClient(client);
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    try {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ResourceNotFoundException')) throw error;
    } finally {
      client.destroy();
    }
  };
  return { tableName, client, doc, drop };
};
