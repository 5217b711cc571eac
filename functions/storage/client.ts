import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DocumentClient } from './document-client.js';
import { TABLE_NAME_ENV } from './table-definition.js';

let defaultClientConfig: DynamoDBClientConfig = {};

/**
 * Settings for every default client built after this call. Lambda never calls it: an execution
 * environment runs one invocation at a time, which the SDK's defaults fit. The local runtime
 * runs every invocation in one process and gives the clients a socket pool that fits a burst.
 */
export const useDefaultClientConfig = (config: DynamoDBClientConfig): void => {
  defaultClientConfig = config;
};

/**
 * The default client for handlers. Endpoint, region and credentials come from the standard AWS
 * environment (AWS_ENDPOINT_URL_DYNAMODB locally), so no code path is special to the local runtime.
 */
export const createDocumentClient = (
  client: DynamoDBClient = new DynamoDBClient(defaultClientConfig),
): DocumentClient => new DocumentClient(client);

export const tableNameFromEnv = (env: NodeJS.ProcessEnv = process.env): string => {
  const name = env[TABLE_NAME_ENV];
  if (!name) throw new Error(`${TABLE_NAME_ENV} is not set`);
  return name;
};
