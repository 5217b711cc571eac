/**
 * How the local runtime's DynamoDB clients connect. In AWS each execution environment runs one
 * invocation at a time and the SDK's pool of 50 sockets is plenty; here every invocation shares
 * one process, so a burst of reports (200 at once, each a read and a transaction) would queue
 * behind 50 sockets and run into its timeout.
 */
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

/** Above the largest burst the runtime is tested with (200 concurrent reports). */
export const LOCAL_MAX_SOCKETS = 256;

export const LOCAL_CLIENT_CONFIG: DynamoDBClientConfig = {
  requestHandler: { httpAgent: { keepAlive: true, maxSockets: LOCAL_MAX_SOCKETS } },
};
