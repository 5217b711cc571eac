import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { StageConfig } from '../../lib/stage-config.js';
import { TrackerStack } from '../../lib/tracker-stack.js';

/** Synthesise with the feature flags `cdk synth` uses, so the tests see the deployed template. */
export const CDK_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context;

export interface Synthesised {
  config: StageConfig;
  stack: TrackerStack;
  template: Template;
  outdir: string;
}

/**
 * A TrackerStack named `name`, synthesised into `outdir`. Give every stack of a test file the same
 * directory: the asset cache is keyed by it, so each handler is bundled once per file.
 */
export const synthesise = (outdir: string, name: string, config: StageConfig): Synthesised => {
  const app = new App({ context: CDK_CONTEXT, outdir });
  const stack = new TrackerStack(app, name, { config });
  return { config, stack, template: Template.fromStack(stack), outdir: app.outdir };
};
