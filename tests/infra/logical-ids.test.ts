import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGES } from '../../lib/stage-config.js';
import { synthesise } from '../support/synthesise.js';

/**
 * CloudFormation replaces a resource whose logical ID changes: a refactoring of the constructs
 * that renamed one would delete and recreate the table, the bus or a queue of a deployed stack.
 * The fixtures list every resource of the deployed stacks (`cdk synth -c stage=<stage>`), logical
 * ID → type. CDKMetadata is left out: the CLI adds it, a synthesis in a test does not. No logical
 * ID contains an asset hash (assets appear in properties only), so the lists are exact.
 */
const expected = (stage: string): Record<string, string> =>
  JSON.parse(readFileSync(new URL(`./fixtures/logical-ids.${stage}.json`, import.meta.url), 'utf8'));

const OUTDIR = mkdtempSync(join(tmpdir(), 'tracker-logical-ids-'));
afterAll(() => rmSync(OUTDIR, { recursive: true, force: true }));

/** Bundling every handler with esbuild takes a while on a busy machine: once per stage, here. */
const SYNTHESIS_TIMEOUT_MS = 180_000;

describe.each(['dev', 'prod'] as const)('the %s stack', (stage) => {
  let resources: Record<string, { Type: string }>;
  beforeAll(() => {
    // The stack name is part of some IDs (event source mappings, permissions): use the deployed one.
    const { template } = synthesise(OUTDIR, `LivelihoodTracker-${stage}`, STAGES[stage]);
    resources = template.toJSON().Resources;
  }, SYNTHESIS_TIMEOUT_MS);

  it('keeps the logical ID and type of every deployed resource', () => {
    const actual = Object.fromEntries(
      Object.entries(resources)
        .filter(([, resource]) => resource.Type !== 'AWS::CDK::Metadata')
        .map(([id, resource]) => [id, resource.Type]),
    );
    expect(Object.keys(actual).length).toBeGreaterThan(100);
    expect(actual).toEqual(expected(stage));
  });
});
