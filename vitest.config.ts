import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // One in-memory DynamoDB Local for the whole run; tests get its endpoint with inject('dynamoEndpoint').
    globalSetup: ['tests/support/dynamodb-local.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: {
      // Dummy credentials and a fixed region: no test may reach, or need, a real AWS account.
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      // The SDK's notice about future Node versions says nothing about the code under test.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  },
});
