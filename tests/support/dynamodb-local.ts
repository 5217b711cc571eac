/**
 * Vitest globalSetup: one in-memory DynamoDB Local for the whole test run. Test files reach it
 * through `inject('dynamoEndpoint')` (see tests/support/dynamo.ts) and create their own tables.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

export default async function setup({ provide }: TestProject): Promise<() => Promise<void>> {
  const dynamo = await startDynamoDbLocal({ dataDir: null });
  provide('dynamoEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}
