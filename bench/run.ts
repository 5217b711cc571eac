/**
 * `npm run bench`: what the product's own code costs, each case as a ratio to a baseline measured
 * in the same run, so that the ratios, not the milliseconds, compare between machines. It prints
 * one table (bench/summary.ts) and writes every figure, with each case's details, to
 * bench/results.json.
 *
 * BENCH_ONLY=<case>[,<case>…] runs some cases; results.json then holds those only.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { coldStartRows, measureColdStart } from './cold-start.js';
import { measureEventLatency } from './event-latency.js';
import { measureLocalApi } from './local-api.js';
import { measureReadPath } from './read-path.js';
import { type BenchRow, meetsGoal, summaryTable } from './summary.js';
import { measureWritePath } from './write-path.js';

const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? 11);

interface CaseResult {
  rows: BenchRow[];
  /** What results.json keeps of the case, its rows included. */
  details: object;
}

/** The cases in the order they run, each with the key of its details in results.json. */
const CASES: ReadonlyArray<{ name: string; key: string; run: () => Promise<CaseResult> }> = [
  {
    name: 'cold-start',
    key: 'coldStart',
    run: async () => {
      const cold = await measureColdStart(COLD_STARTS);
      return { rows: coldStartRows(cold), details: cold };
    },
  },
  { name: 'write-path', key: 'writePath', run: async () => withRows(await measureWritePath()) },
  { name: 'read-path', key: 'readPath', run: async () => withRows(await measureReadPath()) },
  { name: 'local-api', key: 'localApi', run: async () => withRows(await measureLocalApi()) },
  { name: 'event-latency', key: 'eventLatency', run: async () => withRows(await measureEventLatency()) },
];

const withRows = <R extends { rows: BenchRow[] }>(result: R): CaseResult => ({
  rows: result.rows,
  details: result,
});

const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));
const BIOME = fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url));

const selected = (): typeof CASES => {
  const only = process.env.BENCH_ONLY;
  if (only === undefined || only.trim() === '') return CASES;
  const names = only.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !CASES.some((c) => c.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `BENCH_ONLY names cases of ${CASES.map((c) => c.name).join(', ')}; unknown: ${unknown.join(', ')}`,
    );
  }
  return CASES.filter((c) => names.includes(c.name));
};

const main = async () => {
  const cases = selected();
  const measuredAt = new Date().toISOString();
  const results: Record<string, unknown> = { measuredAt, node: process.version };
  const rows: BenchRow[] = [];
  for (const c of cases) {
    const started = Date.now();
    process.stderr.write(`bench: ${c.name}…\n`);
    const result = await c.run();
    process.stderr.write(`bench: ${c.name} done in ${Math.round((Date.now() - started) / 1000)} s\n`);
    rows.push(...result.rows);
    results[c.key] = result.details;
  }
  results.rows = rows;
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  // Laid out as the linter lays out JSON, so that committing a run needs no formatting step.
  execFileSync(BIOME, ['format', '--write', RESULTS], { stdio: 'ignore' });
  const missed = rows.filter((row) => meetsGoal(row) === false).length;
  console.log(`livelihood-tracker bench, Node ${process.version}, ${measuredAt}\n`);
  console.log(summaryTable(rows));
  console.log(
    `\n${missed === 0 ? 'every goal met' : `${missed} figure(s) miss their goal`}; details in bench/results.json`,
  );
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
