import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FUNCTION_NODE_OPTIONS, handlerEntry } from '../lib/bundling.js';
import { DEPLOYED_FUNCTIONS } from '../lib/function-handlers.js';
import { bundleFunction } from './bundle-function.js';
import { interleaved, median, ratio } from './stats.js';

/** Fewer samples than this and one slow process moves the median. */
const MIN_PROCESSES = 11;
/** issue #10's goals, as ratios to the baseline. */
export const COLD_START_GOALS = { size: 1.25, init: 1.15 } as const;

const BASELINE = {
  name: 'baseline (DynamoDBClient only)',
  entry: fileURLToPath(new URL('./cold-start-baseline.ts', import.meta.url)),
};

export interface ColdStartFigure {
  bytes: number;
  initMs: number;
}
export interface ColdStartRow extends ColdStartFigure {
  function: string;
  sizeRatio: number;
  initRatio: number;
}
export interface ColdStartResult {
  processes: number;
  nodeOptions: string;
  baseline: ColdStartFigure;
  coldStart: ColdStartRow[];
}

/**
 * Runs in a fresh `node`: the time to import the bundle, measured inside the process so that
 * starting Node itself, the same for every bundle, stays out of the figure.
 */
const IMPORT_TIMER =
  "const { pathToFileURL } = await import('node:url'); const url = pathToFileURL(process.argv[1]).href;" +
  'const started = performance.now(); await import(url); process.stdout.write(String(performance.now() - started));';

/**
 * The environment of a function, not of this shell: NODE_OPTIONS as every function has it (source
 * maps on, so their loading counts, as in Lambda), a region, and nothing inherited from tsx.
 */
const childEnv = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  NODE_OPTIONS: FUNCTION_NODE_OPTIONS,
});

const timeImport = (bundle: string): number => {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', IMPORT_TIMER, bundle], {
    env: childEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ms = Number(out.trim());
  if (!Number.isFinite(ms)) throw new Error(`${bundle}: no time printed, got "${out}"`);
  return ms;
};

/**
 * Bundles every deployed function and the baseline as CDK does, then times `processes` fresh
 * imports of each, interleaved with the baseline's.
 */
export const measureColdStart = async (processes: number): Promise<ColdStartResult> => {
  if (processes < MIN_PROCESSES) throw new Error(`at least ${MIN_PROCESSES} processes, got ${processes}`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-cold-start-'));
  try {
    const subjects = [
      BASELINE,
      ...DEPLOYED_FUNCTIONS.map((fn) => ({ name: fn.name, entry: handlerEntry(fn.handler) })),
    ];
    const bundles = new Map<string, string>();
    for (const subject of subjects) {
      bundles.set(subject.name, await bundleFunction(subject.entry, join(dir, subject.name)));
    }
    const samples = new Map<string, number[]>(subjects.map((s) => [s.name, []]));
    const names = subjects.slice(1).map((s) => s.name);
    for (const name of interleaved(BASELINE.name, names, processes)) {
      samples.get(name)?.push(timeImport(bundles.get(name) as string));
    }
    const figure = (name: string): ColdStartFigure => ({
      bytes: statSync(bundles.get(name) as string).size,
      initMs: Math.round(median(samples.get(name) ?? []) * 10) / 10,
    });
    const baseline = figure(BASELINE.name);
    const coldStart = names.map((name) => {
      const f = figure(name);
      return {
        function: name,
        bytes: f.bytes,
        sizeRatio: ratio(f.bytes, baseline.bytes),
        initMs: f.initMs,
        initRatio: ratio(f.initMs, baseline.initMs),
      };
    });
    return { processes, nodeOptions: FUNCTION_NODE_OPTIONS, baseline, coldStart };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;

/** The table `npm run bench` prints (Markdown, so it can be pasted into docs/testing.md). */
export const coldStartTable = (result: ColdStartResult): string => {
  const over = (value: number, goal: number) => (value > goal ? ' ✗' : '');
  const lines = [
    `| function | bundle | size vs baseline | init (median of ${result.processes}) | init vs baseline |`,
    '|---|---:|---:|---:|---:|',
    `| ${BASELINE.name} | ${kb(result.baseline.bytes)} | 1.00× | ${result.baseline.initMs.toFixed(1)} ms | 1.00× |`,
    ...result.coldStart.map(
      (row) =>
        `| ${row.function} | ${kb(row.bytes)} | ${row.sizeRatio.toFixed(2)}×${over(row.sizeRatio, COLD_START_GOALS.size)} ` +
        `| ${row.initMs.toFixed(1)} ms | ${row.initRatio.toFixed(2)}×${over(row.initRatio, COLD_START_GOALS.init)} |`,
    ),
  ];
  return lines.join('\n');
};
