/**
 * `npm run bench`: what the product's own code costs, each case as a ratio to a baseline measured
 * in the same run, so that the ratios, not the milliseconds, compare between machines. It prints
 * one table per case and writes the figures to bench/results.json.
 *
 * BENCH_ONLY=cold-start (or write-path, read-path) runs one case; results.json then holds that case only.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { coldStartTable, measureColdStart } from './cold-start.js';
import { measureReadPath } from './read-path.js';
import { summaryTable } from './summary.js';
import { measureWritePath } from './write-path.js';

const CASES = ['cold-start', 'write-path', 'read-path'] as const;
type Case = (typeof CASES)[number];

const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? 11);

const selected = (): readonly Case[] => {
  const only = process.env.BENCH_ONLY;
  if (only === undefined || only === '') return CASES;
  if (!(CASES as readonly string[]).includes(only)) {
    throw new Error(`BENCH_ONLY must be one of ${CASES.join(', ')}, got "${only}"`);
  }
  return [only as Case];
};

const main = async () => {
  const cases = selected();
  const results: Record<string, unknown> = { measuredAt: new Date().toISOString(), node: process.version };
  console.log(`livelihood-tracker bench, Node ${process.version}, ${results.measuredAt}`);
  if (cases.includes('cold-start')) {
    const cold = await measureColdStart(COLD_STARTS);
    console.log(
      `\nCold start: each function bundled as CDK bundles it; init = median time to import the bundle in a fresh node (NODE_OPTIONS=${cold.nodeOptions}), interleaved with the baseline\n`,
    );
    console.log(coldStartTable(cold));
    Object.assign(results, cold);
  }
  for (const [name, measure, key] of [
    ['write-path', measureWritePath, 'writePath'],
    ['read-path', measureReadPath, 'readPath'],
  ] as const) {
    if (!cases.includes(name)) continue;
    const result = await measure();
    console.log(
      `\n${name}: each handler against the very same DynamoDB commands sent raw\n\n${summaryTable(result.rows)}`,
    );
    results[key] = result;
  }
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwritten to bench/results.json`);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
