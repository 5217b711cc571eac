import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction } from '../../bench/bundle-function.js';
import { sdkClientsOf } from '../../bench/sdk-floor.js';
import { handlerEntry } from '../../lib/bundling.js';
import { DEPLOYED_FUNCTIONS } from '../../lib/function-handlers.js';

/**
 * What each deployed function's bundle is made of, read from esbuild's metafile of the bundle
 * built as CDK builds it: every module and every AWS client in a bundle is paid for at every
 * cold start, whether the function's path uses it or not.
 */
const OUTDIR = mkdtempSync(join(tmpdir(), 'function-bundles-'));
const metafiles = new Map<string, Metafile>();

beforeAll(async () => {
  for (const fn of DEPLOYED_FUNCTIONS) {
    const { metafile } = await bundleFunction(handlerEntry(fn.handler), join(OUTDIR, fn.name));
    metafiles.set(fn.name, metafile);
  }
}, 240_000);
afterAll(() => rmSync(OUTDIR, { recursive: true, force: true }));

/**
 * The modules that put code in the bundle (the metafile's inputs also name every module merely
 * reached, such as a package's index), relative to the repository; a dependency as its path from
 * node_modules/.
 */
const modulesOf = (metafile: Metafile): string[] =>
  Object.values(metafile.outputs)
    .flatMap((output) => Object.entries(output.inputs))
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([path]) => {
      const inPackage = path.lastIndexOf('node_modules/');
      return inPackage === -1 ? path : path.slice(inPackage);
    });

const functionsWith = (test: (module: string) => boolean): string[] =>
  [...metafiles]
    .filter(([, metafile]) => modulesOf(metafile).some(test))
    .map(([name]) => name)
    .sort();

const DYNAMODB = '@aws-sdk/client-dynamodb';
const EVENTBRIDGE = '@aws-sdk/client-eventbridge';
const KMS = '@aws-sdk/client-kms';
const SQS = '@aws-sdk/client-sqs';

/** The AWS clients each function calls, and so may carry. */
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

describe('the bundle of every deployed function, built as CDK builds it', () => {
  it('lists every deployed function here with the clients it calls', () => {
    expect(metafiles.size).toBe(DEPLOYED_FUNCTIONS.length);
    expect(Object.keys(CALLS).sort()).toEqual(DEPLOYED_FUNCTIONS.map((fn) => fn.name).sort());
  });

  it('carries the AWS SDK clients its function calls and no other', () => {
    const carried = Object.fromEntries(
      [...metafiles].map(([name, metafile]) => [name, sdkClientsOf(metafile).map((c) => c.packageName)]),
    );
    expect(carried).toEqual(CALLS);
  });

  it('holds no classic zod and no locale', () => {
    expect(
      functionsWith(
        (m) => m.startsWith('node_modules/zod/') && !m.includes('/v4/core/') && !m.includes('/v4/mini/'),
      ),
    ).toEqual([]);
  });

  it('holds no zod: requests and event details are checked with validators compiled from the schemas', () => {
    expect(functionsWith((m) => m.startsWith('node_modules/zod/'))).toEqual([]);
    expect(
      functionsWith((m) =>
        ['common', 'projects', 'milestones', 'subscriptions'].some((s) => m === `functions/schemas/${s}.ts`),
      ),
    ).toEqual([]);
  });

  it('holds compiled validators only where a request or an event detail is validated', () => {
    expect(functionsWith((m) => m.startsWith('functions/schemas/compiled/'))).toEqual(
      [
        'createSubscription',
        'listDeliveries',
        'listMilestones',
        'listProjects',
        'publisher',
        'putProject',
        'recordMilestone',
        'replaySubscription',
      ].sort(),
    );
  });

  it('holds no response schema, example or part of the API description that builds openapi.json', () => {
    expect(functionsWith((m) => m.startsWith('functions/schemas/responses/'))).toEqual([]);
    expect(
      functionsWith((m) => m.startsWith('functions/http/spec/') && m !== 'functions/http/spec/servers.ts'),
    ).toEqual([]);
    expect(functionsWith((m) => m === 'openapi.json')).toEqual(['getOpenApi']);
  });

  it('holds the event detail validators only in the publisher, which checks every event against them', () => {
    expect(functionsWith((m) => m === 'functions/schemas/compiled/event-details.ts')).toEqual(['publisher']);
    expect(functionsWith((m) => m === 'functions/events/detail-schemas.ts')).toEqual([]);
  });

  it('holds no Chinese wording of problems: 20 KB of escaped text no request path needs at a cold start', () => {
    expect(functionsWith((m) => m === 'functions/http/problem-zh.ts')).toEqual([]);
  });
});
