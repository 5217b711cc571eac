import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { bundleFunction } from '../../bench/bundle-function.js';
import { BUNDLE_FILE, handlerEntry } from '../../lib/bundling.js';
import { DEPLOYED_FUNCTIONS } from '../../lib/function-handlers.js';
import { STAGES } from '../../lib/stage-config.js';
import { createTrackerFunction, type TrackerFunctionProps } from '../../lib/tracker-function.js';
import { TrackerStack } from '../../lib/tracker-stack.js';
import { CDK_CONTEXT } from '../support/synthesise.js';

/** The handler of every function the stack creates, in creation order. */
const created = vi.hoisted(() => [] as string[]);

vi.mock('../../lib/tracker-function.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../lib/tracker-function.js')>();
  return {
    ...original,
    createTrackerFunction: (...args: Parameters<typeof original.createTrackerFunction>) => {
      created.push((args[2] as TrackerFunctionProps).handler);
      return original.createTrackerFunction(...args);
    },
  };
});

const OUTDIR = mkdtempSync(join(tmpdir(), 'deployed-functions-'));
afterAll(() => rmSync(OUTDIR, { recursive: true, force: true }));

describe('the functions the bench measures', () => {
  it('are exactly the functions the stack deploys', () => {
    created.length = 0;
    // No stack is bundled: only which functions exist matters here.
    const app = new App({
      context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] },
      outdir: join(OUTDIR, 'stack'),
    });
    const stack = new TrackerStack(app, 'LivelihoodTracker-dev', { config: STAGES.dev });
    const template = app.synth().getStackByName(stack.stackName).template as {
      Resources: Record<string, { Type: string }>;
    };
    const lambdas = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');

    expect([...created].sort()).toEqual(DEPLOYED_FUNCTIONS.map((f) => f.handler).sort());
    expect(lambdas).toHaveLength(DEPLOYED_FUNCTIONS.length);
    expect(new Set(DEPLOYED_FUNCTIONS.map((f) => f.name)).size).toBe(DEPLOYED_FUNCTIONS.length);
  });

  it('are bundled by the bench byte for byte as CDK bundles them', async () => {
    const app = new App({ context: CDK_CONTEXT, outdir: join(OUTDIR, 'cdk') });
    const stack = new Stack(app, 'Bundling');
    createTrackerFunction(stack, 'GetProject', {
      config: STAGES.dev,
      handler: 'get-project',
      description: 'bundled by CDK',
    });
    const assembly = app.synth();
    const assets = readdirSync(assembly.directory)
      .map((name) => join(assembly.directory, name, BUNDLE_FILE))
      .filter((file) => existsSync(file));
    expect(assets).toHaveLength(1);

    const ours = await bundleFunction(handlerEntry('get-project'), join(OUTDIR, 'bench'));
    const cdkBundle = readFileSync(assets[0] as string);
    expect(cdkBundle.length).toBeGreaterThan(100_000);
    expect(readFileSync(ours.file).equals(cdkBundle)).toBe(true);
  }, 120_000);
});
