import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FUNCTION_NODE_OPTIONS, handlerEntry } from '../lib/bundling.js';
import { DEPLOYED_FUNCTIONS } from '../lib/function-handlers.js';
import { type BundledFunction, bundleFunction, type SourceEntry } from './bundle-function.js';
import { floorKey, floorName, type SdkClient, sdkClientsOf, sdkFloorSource } from './sdk-floor.js';
import { interleaved, median, ratio } from './stats.js';
import type { BenchGoal, BenchRow } from './summary.js';

/** Fewer samples than this and one slow process moves the median. */
const MIN_PROCESSES = 11;
/** issue #10's goals, as ratios to the baseline. */
export const COLD_START_GOALS = {
  bundle: { kind: 'ratioAtMost', limit: 1.25 },
  init: { kind: 'ratioAtMost', limit: 1.15 },
} as const satisfies Record<string, BenchGoal>;

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
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
  /** The SDK clients its bundle carries (package names), read from its metafile. */
  sdkClients: string[];
  /** Its SDK floor's name (the baseline's when that is all it carries); null without any client. */
  floor: string | null;
  floorSizeRatio: number | null;
  floorInitRatio: number | null;
}
export interface ColdStartResult {
  processes: number;
  nodeOptions: string;
  baseline: ColdStartFigure;
  /** Every SDK floor besides the baseline, by name. */
  floors: Record<string, ColdStartFigure & { sdkClients: string[] }>;
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

interface Subject {
  name: string;
  bundle: BundledFunction;
  clients: SdkClient[];
}

/**
 * Bundles the baseline, every deployed function, and each function's SDK floor (one bundle per
 * distinct set of clients; the baseline is the floor of a function carrying only its client).
 */
const bundleSubjects = async (dir: string) => {
  let bundled = 0;
  const subject = async (name: string, entry: string | SourceEntry): Promise<Subject> => {
    const bundle = await bundleFunction(entry, join(dir, String(bundled++)));
    return { name, bundle, clients: sdkClientsOf(bundle.metafile) };
  };
  const baseline = await subject(BASELINE.name, BASELINE.entry);
  const functions: Subject[] = [];
  for (const fn of DEPLOYED_FUNCTIONS) functions.push(await subject(fn.name, handlerEntry(fn.handler)));
  const floors = new Map<string, Subject>([[floorKey(baseline.clients), baseline]]);
  for (const { clients } of functions) {
    const key = floorKey(clients);
    if (clients.length === 0 || floors.has(key)) continue;
    const source = { source: sdkFloorSource(clients), resolveDir: BENCH_DIR, sourcefile: 'sdk-floor.ts' };
    floors.set(key, await subject(floorName(clients), source));
  }
  return { baseline, functions, floors };
};

/**
 * Bundles every deployed function, the baseline and the SDK floors as CDK does, then times
 * `processes` fresh imports of each, each interleaved with the baseline's.
 */
export const measureColdStart = async (processes: number): Promise<ColdStartResult> => {
  if (processes < MIN_PROCESSES) throw new Error(`at least ${MIN_PROCESSES} processes, got ${processes}`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-cold-start-'));
  try {
    const { baseline, functions, floors } = await bundleSubjects(dir);
    const ownFloors = [...floors.values()].filter((floor) => floor !== baseline);
    const timed = [...functions, ...ownFloors];
    const samples = new Map<Subject, number[]>([baseline, ...timed].map((s) => [s, []]));
    for (const subject of interleaved(baseline, timed, processes)) {
      samples.get(subject)?.push(timeImport(subject.bundle.file));
    }
    const figure = (subject: Subject): ColdStartFigure => ({
      bytes: statSync(subject.bundle.file).size,
      initMs: Math.round(median(samples.get(subject) ?? []) * 10) / 10,
    });
    const base = figure(baseline);
    const coldStart = functions.map((fn): ColdStartRow => {
      const f = figure(fn);
      const floorSubject = fn.clients.length === 0 ? undefined : floors.get(floorKey(fn.clients));
      const floor = floorSubject === undefined ? null : figure(floorSubject);
      return {
        function: fn.name,
        ...f,
        sizeRatio: ratio(f.bytes, base.bytes),
        initRatio: ratio(f.initMs, base.initMs),
        sdkClients: fn.clients.map((client) => client.packageName),
        floor: floorSubject?.name ?? null,
        floorSizeRatio: floor === null ? null : ratio(f.bytes, floor.bytes),
        floorInitRatio: floor === null ? null : ratio(f.initMs, floor.initMs),
      };
    });
    const floorFigures = Object.fromEntries(
      ownFloors.map((floor) => [
        floor.name,
        { ...figure(floor), sdkClients: floor.clients.map((client) => client.packageName) },
      ]),
    );
    return { processes, nodeOptions: FUNCTION_NODE_OPTIONS, baseline: base, floors: floorFigures, coldStart };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const kb = (bytes: number) => Math.round(bytes / 1024);

/** A function's bundle and init rows against one reference: the baseline or its SDK floor. */
const figureRows = (
  subject: string,
  against: string,
  own: ColdStartFigure,
  reference: ColdStartFigure,
  ratios: { size: number | null; init: number | null },
  goals: { bundle: BenchGoal | null; init: BenchGoal | null },
): BenchRow[] => [
  {
    case: 'cold-start',
    subject,
    measure: `bundle${against}`,
    unit: 'KB',
    value: kb(own.bytes),
    baseline: kb(reference.bytes),
    ratio: ratios.size,
    goal: goals.bundle,
  },
  {
    case: 'cold-start',
    subject,
    measure: `init${against}`,
    unit: 'ms',
    value: own.initMs,
    baseline: reference.initMs,
    ratio: ratios.init,
    goal: goals.init,
  },
];

/**
 * The case's rows of the bench's one table: each function's bundle and init against the
 * DynamoDB-only baseline (issue #10's goals), and, for a function that carries other clients
 * too, the same two figures against its own SDK floor (no goal: the distance is our code's).
 */
export const coldStartRows = (result: ColdStartResult): BenchRow[] =>
  result.coldStart.flatMap((row) => {
    const vsBaseline = figureRows(
      row.function,
      '',
      row,
      result.baseline,
      { size: row.sizeRatio, init: row.initRatio },
      COLD_START_GOALS,
    );
    const floor = row.floor === null ? undefined : result.floors[row.floor];
    if (floor === undefined) return vsBaseline;
    const vsFloor = figureRows(
      row.function,
      ` vs ${row.floor}`,
      row,
      floor,
      { size: row.floorSizeRatio, init: row.floorInitRatio },
      { bundle: null, init: null },
    );
    return [...vsBaseline, ...vsFloor];
  });
