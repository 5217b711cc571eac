/**
 * Creates the single table on DynamoDB Local from the same definition CDK deploys.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  GSI1,
  KEY_ATTRIBUTES,
  STREAM_VIEW,
  TABLE_KEYS,
  TTL_ATTRIBUTE,
} from '../functions/storage/table-definition.js';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_CREDENTIAL = 'local';

const errorName = (error: unknown): string | undefined => (error instanceof Error ? error.name : undefined);

const tableExists = async (client: DynamoDBClient, tableName: string): Promise<boolean> => {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return false;
    throw error;
  }
};

/**
 * Creates the table if it is absent (on-demand, GSI1 projecting everything, stream with new and
 * old images), waits until it is ACTIVE and enables TTL. Returns whether it was created now.
 */
export const ensureTable = async (client: DynamoDBClient, tableName: string): Promise<boolean> => {
  let created = false;
  if (!(await tableExists(client, tableName))) {
    try {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: KEY_ATTRIBUTES.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
          KeySchema: [
            { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: [
            {
              IndexName: GSI1.indexName,
              KeySchema: [
                { AttributeName: GSI1.partitionKey, KeyType: 'HASH' },
                { AttributeName: GSI1.sortKey, KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
          StreamSpecification: { StreamEnabled: true, StreamViewType: STREAM_VIEW },
        }),
      );
      created = true;
    } catch (error) {
      // Someone else created it between our check and our create: fine, wait for it below.
      if (errorName(error) !== 'ResourceInUseException') throw error;
    }
  }
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1, maxDelay: 2 }, { TableName: tableName });
  await enableTtl(client, tableName);
  return created;
};

const enableTtl = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  const current = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = current.TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return;
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      }),
    );
  } catch (error) {
    if (!(error instanceof Error && /already enabled/i.test(error.message))) throw error;
  }
};

/** The environment the AWS SDK (and therefore every handler) needs to talk to DynamoDB Local. */
export const localDynamoEnv = (endpoint: string): Record<string, string> => ({
  AWS_ENDPOINT_URL_DYNAMODB: endpoint,
  AWS_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIAL,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIAL,
});
