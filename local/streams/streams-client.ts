import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';

/** A streams client talking to wherever `client` talks, with its region and credentials. */
export const streamsClientFor = async (client: DynamoDBClient): Promise<DynamoDBStreamsClient> => {
  let endpoint: string | undefined;
  if (client.config.endpoint) {
    const resolved = await client.config.endpoint();
    const port = resolved.port ? `:${resolved.port}` : '';
    endpoint = `${resolved.protocol}//${resolved.hostname}${port}${resolved.path ?? ''}`;
  } else {
    endpoint =
      process.env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS || process.env.AWS_ENDPOINT_URL_DYNAMODB || undefined;
  }
  return new DynamoDBStreamsClient({
    region: client.config.region,
    credentials: client.config.credentials,
    ...(endpoint ? { endpoint } : {}),
  });
};
