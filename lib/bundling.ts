/**
 * How every function is bundled, as plain values: lib/tracker-function.ts hands them to CDK's
 * NodejsFunction (which runs esbuild's command line with them) and the bench passes the same
 * values to esbuild's JS API, so what the bench measures is what Lambda loads. No CDK import.
 */
import { fileURLToPath } from 'node:url';

/** Repository root, resolved from this file so bundling works from any working directory. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** esbuild emits ESM; a few CommonJS dependencies still call `require`, so define it. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

export const FUNCTION_BUNDLING = {
  format: 'esm',
  /** The functions' runtime, NODEJS_24_X (lib/tracker-function.ts). */
  target: 'node24',
  /** ESM builds first: the AWS SDK's `module` entry points tree-shake, its CommonJS ones do not. */
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  /** The SDK inside the bundle, at the version we test, not the one the runtime happens to carry. */
  bundleAwsSdk: true,
  minify: true,
  sourceMap: true,
} as const;

/** The file CDK writes for an ESM bundle (its source map is this name + `.map`). */
export const BUNDLE_FILE = 'index.mjs';

/** Every function's NODE_OPTIONS: stack traces in the logs point into the TypeScript sources. */
export const FUNCTION_NODE_OPTIONS = '--enable-source-maps';

/** The entry point of a function: `functions/handlers/<handler>.ts`, exporting `handler`. */
export const handlerEntry = (handler: string): string =>
  fileURLToPath(new URL(`../functions/handlers/${handler}.ts`, import.meta.url));
