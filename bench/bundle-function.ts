import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { BUNDLE_FILE, FUNCTION_BUNDLING, PROJECT_ROOT } from '../lib/bundling.js';

export interface BundledFunction {
  /** The bundle's path (`outDir/index.mjs`; its source map beside it). */
  file: string;
  /** What esbuild put in it, input by input: where the bench reads which SDK clients it carries. */
  metafile: Metafile;
}

/**
 * A module given by its source rather than a file (the bench's generated SDK floors): it resolves
 * its imports from `resolveDir`, as a file there would.
 */
export interface SourceEntry {
  source: string;
  resolveDir: string;
  /** The name it has in the source map and the metafile. */
  sourcefile: string;
}

/**
 * Bundles `entry` into `outDir/index.mjs` (and its map) with the options CDK's NodejsFunction
 * turns FUNCTION_BUNDLING into: the same esbuild flags, run from the same directory, nothing
 * left external since the AWS SDK is bundled. Asking for the metafile changes no output byte.
 */
export const bundleFunction = async (
  entry: string | SourceEntry,
  outDir: string,
): Promise<BundledFunction> => {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, BUNDLE_FILE);
  const input: BuildOptions =
    typeof entry === 'string'
      ? { entryPoints: [entry] }
      : {
          stdin: {
            contents: entry.source,
            resolveDir: entry.resolveDir,
            sourcefile: entry.sourcefile,
            loader: 'ts',
          },
        };
  const { metafile } = await build({
    ...input,
    bundle: true,
    outfile: file,
    absWorkingDir: PROJECT_ROOT,
    platform: 'node',
    format: FUNCTION_BUNDLING.format,
    target: FUNCTION_BUNDLING.target,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    banner: { js: FUNCTION_BUNDLING.banner },
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    external: FUNCTION_BUNDLING.bundleAwsSdk ? [] : ['@aws-sdk/*'],
    metafile: true,
    logLevel: 'warning',
  });
  return { file, metafile };
};
