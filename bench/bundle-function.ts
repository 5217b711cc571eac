import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { BUNDLE_FILE, FUNCTION_BUNDLING, PROJECT_ROOT } from '../lib/bundling.js';

/**
 * Bundles `entry` into `outDir/index.mjs` (and its map) with the options CDK's NodejsFunction
 * turns FUNCTION_BUNDLING into: the same esbuild flags, run from the same directory, nothing
 * left external since the AWS SDK is bundled. Returns the bundle's path.
 */
export const bundleFunction = async (entry: string, outDir: string): Promise<string> => {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, BUNDLE_FILE);
  await build({
    entryPoints: [entry],
    bundle: true,
    outfile,
    absWorkingDir: PROJECT_ROOT,
    platform: 'node',
    format: FUNCTION_BUNDLING.format,
    target: FUNCTION_BUNDLING.target,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    banner: { js: FUNCTION_BUNDLING.banner },
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    external: FUNCTION_BUNDLING.bundleAwsSdk ? [] : ['@aws-sdk/*'],
    logLevel: 'warning',
  });
  return outfile;
};
