import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleFunction } from '../../bench/bundle-function.js';
import { sdkClientsOf } from '../../bench/sdk-floor.js';
import { handlerEntry } from '../../lib/bundling.js';
import { DEPLOYED_FUNCTIONS } from '../../lib/function-handlers.js';

const OUTDIR = mkdtempSync(join(tmpdir(), 'function-clients-'));
afterAll(() => rmSync(OUTDIR, { recursive: true, force: true }));

const DYNAMODB = '@aws-sdk/client-dynamodb';
const EVENTBRIDGE = '@aws-sdk/client-eventbridge';
const KMS = '@aws-sdk/client-kms';
const SQS = '@aws-sdk/client-sqs';

/**
 * The AWS clients each function calls, and so may carry: every client in a bundle is paid for at
 * every cold start, whether the function's path uses it or not.
 */
const CALLS: Readonly<Record<string, readonly string[]>> = {
  getDashboard: [],
  getOpenApi: [],
  getHealth: [],
  listProjects: [DYNAMODB],
  getProject: [DYNAMODB],
  putProject: [DYNAMODB],
  listMilestones: [DYNAMODB],
  recordMilestone: [DYNAMODB],
  // Seals the new secret with a KMS data key; queues nothing.
  createSubscription: [DYNAMODB, KMS],
  listSubscriptions: [DYNAMODB],
  deleteSubscription: [DYNAMODB],
  rotateSubscriptionSecret: [DYNAMODB, KMS],
  listDeliveries: [DYNAMODB],
  // Queues the replay's first page.
  replaySubscription: [DYNAMODB, SQS],
  getReplay: [DYNAMODB],
  // Puts events on the bus; records that can never be published go to the stream failure queue.
  publisher: [DYNAMODB, EVENTBRIDGE, SQS],
  notifier: [DYNAMODB, SQS],
  // Opens the signing secret with KMS; postpones a retry by changing the message's visibility.
  deliverer: [DYNAMODB, KMS, SQS],
  replayWorker: [DYNAMODB, SQS],
  watchdog: [DYNAMODB],
};

/**
 * Functions that validate nothing with a schema: no schema library belongs in their bundle. (The
 * event functions read only names and settings of the event catalogue, never its schemas.)
 */
const NO_SCHEMAS: ReadonlySet<string> = new Set([
  'getDashboard',
  'getHealth',
  'listSubscriptions',
  'notifier',
  'deliverer',
  'replayWorker',
  'watchdog',
]);

const ZOD = /(?:^|\/)node_modules\/zod\//;

describe('each deployed function, bundled as CDK bundles it', () => {
  it('is listed here with the clients it calls', () => {
    expect(Object.keys(CALLS).sort()).toEqual(DEPLOYED_FUNCTIONS.map((fn) => fn.name).sort());
  });

  it.each(DEPLOYED_FUNCTIONS)(
    '$name carries the AWS SDK clients it calls and no other, and zod only if it validates',
    async (fn) => {
      const { metafile } = await bundleFunction(handlerEntry(fn.handler), join(OUTDIR, fn.name));
      expect(sdkClientsOf(metafile).map((client) => client.packageName)).toEqual(CALLS[fn.name]);
      if (NO_SCHEMAS.has(fn.name)) {
        expect(Object.keys(metafile.inputs).filter((path) => ZOD.test(path))).toEqual([]);
      }
    },
    60_000,
  );
});
