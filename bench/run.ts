/**
 * `npm run bench`: what the product's own code costs, each case as a ratio to a baseline measured
 * in the same run, so that the ratios, not the milliseconds, compare between machines. It prints
 * one table per case and writes the figures to bench/results.json.
 *
 * BENCH_ONLY=cold-start (or handler-paths, event-latency) runs one case; results.json then holds that case only.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { coldStartTable, measureColdStart } from './cold-start.js';
import { hopTable, measureEventLatency } from './event-latency.js';
import { HANDLER_PATH_ROUNDS, handlerPathsTable, measureHandlerPaths } from './handler-paths.js';
import { summaryTable } from './summary.js';

const CASES = ['cold-start', 'handler-paths', 'event-latency'] as const;
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
  if (cases.includes('handler-paths')) {
    const rows = await measureHandlerPaths();
    console.log(`\nHandler paths\n\n${handlerPathsTable(rows)}`);
    results.handlerPaths = { rounds: HANDLER_PATH_ROUNDS, rows };
  }
  if (cases.includes('event-latency')) {
    const latency = await measureEventLatency();
    console.log(
      `\nEvent latency: POST → signed webhook on the local runtime, ${latency.reports} reports one at a time (stream poll interval ${latency.pollIntervalMs} ms)\n\n${summaryTable(latency.rows)}\n\n${hopTable(latency.hops)}`,
    );
    results.eventLatency = latency;
  }
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwritten to bench/results.json`);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
