import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { checkWithNagPacks } from '../../lib/nag-packs.js';
import { STAGES } from '../../lib/stage-config.js';
import { TrackerStack } from '../../lib/tracker-stack.js';
import { CDK_CONTEXT } from '../support/synthesise.js';

/**
 * cdk-nag's AWS Solutions and Serverless packs, wired as `cdk synth` wires them (bin/app.ts), over
 * the dev and prod stacks: every finding, error or warning, is either fixed or acknowledged on
 * its construct with a reason. A finding fails the synthesis; the report lists each one.
 */
const OUTDIR = mkdtempSync(join(tmpdir(), 'tracker-nag-'));
afterAll(() => rmSync(OUTDIR, { recursive: true, force: true }));

/** Bundling every handler with esbuild takes a while on a busy machine. */
const SYNTHESIS_TIMEOUT_MS = 180_000;

interface Report {
  pluginReports: {
    pluginName: string;
    violations: { ruleName: string; severity: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

/** Synthesises `app` with the packs: the findings as `severity rule at construct path`, or none. */
const findingsOf = (app: App, outdir: string): string[] => {
  checkWithNagPacks(app);
  const path = join(outdir, 'validation-report.json');
  // An earlier synthesis into the same directory may have left its report.
  rmSync(path, { force: true });
  try {
    app.synth();
    return [];
  } catch (error) {
    if (!existsSync(path)) throw error;
    const report = JSON.parse(readFileSync(path, 'utf8')) as Report;
    return report.pluginReports.flatMap((plugin) =>
      plugin.violations.flatMap((v) =>
        v.violatingConstructs.map((c) => `${v.severity} ${v.ruleName} at ${c.constructPath}`),
      ),
    );
  }
};

describe.each(['dev', 'prod'] as const)('the %s stack', (stage) => {
  it(
    'has no finding of the AwsSolutions and Serverless packs left unacknowledged',
    () => {
      // One directory for both stages: the asset cache is keyed by it, so each handler is bundled once.
      const app = new App({ context: CDK_CONTEXT, outdir: OUTDIR });
      new TrackerStack(app, `LivelihoodTracker-${stage}`, { config: STAGES[stage] });
      expect(findingsOf(app, OUTDIR)).toEqual([]);
    },
    SYNTHESIS_TIMEOUT_MS,
  );
});

describe('the check', () => {
  it('reports errors and warnings alike, each at its construct', () => {
    const outdir = join(OUTDIR, 'sentinel');
    const app = new App({ context: CDK_CONTEXT, outdir });
    const stack = new Stack(app, 'Sentinel');
    new sqs.Queue(stack, 'Queue', { enforceSSL: true });
    new cognito.UserPool(stack, 'Pool');
    const findings = findingsOf(app, outdir);
    expect(findings).toContain('error AwsSolutions-SQS3 at Sentinel/Queue/Resource');
    expect(findings).toContain('warning AwsSolutions-COG2 at Sentinel/Pool/Resource');
  });
});
