import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DEPLOYED_FUNCTIONS } from '../../lib/function-handlers.js';
import { FUNCTION_MEMORY, memoryOf } from '../../lib/function-memory.js';
import { STAGES } from '../../lib/stage-config.js';
import type { TrackerFunctionProps } from '../../lib/tracker-function.js';
import { TrackerStack } from '../../lib/tracker-stack.js';
import { CDK_CONTEXT } from '../support/synthesise.js';

/** Each function the stack creates, by its handler module. */
const created = vi.hoisted(() => new Map<string, NodejsFunction>());

vi.mock('../../lib/tracker-function.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../lib/tracker-function.js')>();
  return {
    ...original,
    createTrackerFunction: (...args: Parameters<typeof original.createTrackerFunction>) => {
      const fn = original.createTrackerFunction(...args);
      created.set((args[2] as TrackerFunctionProps).handler, fn);
      return fn;
    },
  };
});

const OUTDIR = mkdtempSync(join(tmpdir(), 'function-memory-'));
afterAll(() => rmSync(OUTDIR, { recursive: true, force: true }));

/** The sizes the README's table gives, in MB: what a change to lib/function-memory.ts must also change. */
const EXPECTED: Readonly<Record<string, number>> = {
  getDashboard: 256,
  getHealth: 256,
  getOpenApi: 256,
  listProjects: 1024,
  getProject: 1024,
  putProject: 1024,
  listMilestones: 1024,
  recordMilestone: 1024,
  createSubscription: 1024,
  listSubscriptions: 1024,
  deleteSubscription: 1024,
  rotateSubscriptionSecret: 1024,
  listDeliveries: 1024,
  replaySubscription: 1024,
  getReplay: 1024,
  publisher: 1024,
  notifier: 512,
  deliverer: 512,
  replayWorker: 512,
  watchdog: 512,
};

describe('each function’s memory size', () => {
  // No stack is bundled: only the functions' properties matter here.
  const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] }, outdir: OUTDIR });
  const stack = new TrackerStack(app, 'LivelihoodTracker-dev', { config: STAGES.dev });
  const resources = app.synth().getStackByName(stack.stackName).template.Resources as Record<
    string,
    { Type: string; Properties: { MemorySize?: number } }
  >;

  it('is chosen, with a reason, for every deployed function and for no other', () => {
    expect(Object.keys(FUNCTION_MEMORY).sort()).toEqual(DEPLOYED_FUNCTIONS.map((fn) => fn.name).sort());
    for (const [name, choice] of Object.entries(FUNCTION_MEMORY)) {
      expect(choice.why.length, name).toBeGreaterThan(20);
    }
    expect(() => memoryOf('noSuchFunction')).toThrow(/noSuchFunction/);
  });

  it.each(DEPLOYED_FUNCTIONS)('$name is deployed with the size chosen for it', ({ name, handler }) => {
    const fn = created.get(handler);
    if (fn === undefined) throw new Error(`the stack created no function for ${handler}`);
    const logicalId = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnFunction);
    expect(resources[logicalId]?.Type).toBe('AWS::Lambda::Function');
    expect(resources[logicalId]?.Properties.MemorySize).toBe(EXPECTED[name]);
  });
});
