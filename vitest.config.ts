import { configDefaults, defineConfig } from 'vitest/config';

/** Each of these files starts its own Java (DynamoDB Local), and some a browser or `npm start` too. */
const END_TO_END = 'tests/e2e/**/*.test.ts';

/**
 * The fault suite: outages, crashes and hostile receivers, each with the runtime or the parts it
 * needs. `npm test` runs it after the end-to-end tests; `npm run test:faults` runs it alone.
 */
const FAULTS = 'tests/faults/**/*.test.ts';

/**
 * What every project shares. Not through `extends: true`: that would give each project the root's
 * globalSetup as well, and one DynamoDB Local per project.
 */
const shared = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  env: {
    // Dummy credentials and a fixed region: no test may reach, or need, a real AWS account.
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    // The SDK's notice about future Node versions says nothing about the code under test.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // The functions' line per request, event and delivery would bury the test report; warnings and
    // errors still show. A test that reads those lines sets its own level.
    LOG_LEVEL: 'warn',
  },
};

export default defineConfig({
  test: {
    // One in-memory DynamoDB Local for the whole run, whichever projects run: the root's global
    // setup runs once and both projects see what it provides (inject('dynamoEndpoint')).
    globalSetup: ['tests/support/dynamodb-local.ts'],
    projects: [
      {
        test: {
          ...shared,
          name: 'main',
          include: ['tests/**/*.test.ts'],
          exclude: [...configDefaults.exclude, END_TO_END, FAULTS],
        },
      },
      {
        test: {
          ...shared,
          name: 'e2e',
          include: [END_TO_END],
          // Two cores: one Java-starting file at a time, and only once the other project is done.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          ...shared,
          name: 'faults',
          include: [FAULTS],
          // Like the end-to-end files: they start processes, so one at a time, after the others.
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
