import { describe, expect, it } from 'vitest';
import {
  addCpu,
  LOCAL_API_GOAL,
  localApiRows,
  localApiSettings,
  type ServerFigures,
  serverFigures,
} from '../../../bench/local-api.js';
import { meetsGoal } from '../../../bench/summary.js';

const figures = (overrides: Partial<ServerFigures> = {}): ServerFigures => ({
  requestsPerSecond: 1000,
  completed: 10_000,
  seconds: 10,
  p50Ms: 20,
  p99Ms: 60,
  cpuMsPerAnswer: 0.5,
  databaseCpuMsPerAnswer: 1.5,
  errors: {},
  ...overrides,
});

describe('serverFigures', () => {
  it('gives answers a second, nearest-rank latencies and CPU per answer', () => {
    const load = {
      completed: 4,
      elapsedMs: 2000,
      errors: { 'status 500': 1 },
      latenciesMs: [4, 1, 3, 2],
    };
    expect(serverFigures(load, { serverMs: 10, databaseMs: null })).toEqual({
      requestsPerSecond: 2,
      completed: 4,
      seconds: 2,
      p50Ms: 2,
      p99Ms: 4,
      cpuMsPerAnswer: 2.5,
      databaseCpuMsPerAnswer: null,
      errors: { 'status 500': 1 },
    });
  });

  it('has no latency and no CPU per answer without an answer', () => {
    const none = serverFigures(
      { completed: 0, elapsedMs: 1000, errors: {}, latenciesMs: [] },
      { serverMs: 5, databaseMs: 5 },
    );
    expect([none.p50Ms, none.p99Ms, none.cpuMsPerAnswer, none.databaseCpuMsPerAnswer]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });
});

describe('localApiRows', () => {
  it('puts the goal on the throughput ratio, runtime over raw', () => {
    const [throughput] = localApiRows(
      figures({ requestsPerSecond: 850 }),
      figures({ requestsPerSecond: 1000 }),
    );
    expect(throughput).toMatchObject({
      case: 'local-api',
      measure: 'throughput',
      unit: 'req/s',
      value: 850,
      baseline: 1000,
      ratio: 0.85,
      goal: { kind: 'ratioAtLeast', limit: LOCAL_API_GOAL },
    });
    expect(throughput && meetsGoal(throughput)).toBe(false);
    const [enough] = localApiRows(figures({ requestsPerSecond: 900 }), figures({ requestsPerSecond: 1000 }));
    expect(enough && meetsGoal(enough)).toBe(true);
  });

  it('reports latencies and CPU per answer against the raw server, without a goal', () => {
    const rows = localApiRows(figures({ p50Ms: 30, cpuMsPerAnswer: 1 }), figures());
    expect(rows.map((row) => [row.measure, row.ratio, row.goal])).toEqual([
      ['throughput', 1, { kind: 'ratioAtLeast', limit: 0.9 }],
      ['p50 latency', 1.5, null],
      ['p99 latency', 1, null],
      ['server CPU per answer', 2, null],
      ['database CPU per answer', 1, null],
      ['errors', null, { kind: 'valueAtMost', limit: 0 }],
    ]);
  });

  it('fails the errors row on any error of the runtime, and shows the raw server’s beside it', () => {
    const rows = localApiRows(
      figures({ errors: { 'status 500': 2, 'error ECONNRESET': 1 } }),
      figures({ errors: { 'status 503': 4 } }),
    );
    const errors = rows.find((row) => row.measure === 'errors');
    expect(errors).toMatchObject({ value: 3, baseline: 4 });
    expect(errors && meetsGoal(errors)).toBe(false);
    const clean = localApiRows(figures(), figures()).find((row) => row.measure === 'errors');
    expect(clean && meetsGoal(clean)).toBe(true);
  });

  it('leaves out what could not be measured', () => {
    const rows = localApiRows(figures({ cpuMsPerAnswer: null, p50Ms: null }), figures());
    expect(rows.map((row) => row.measure)).toEqual([
      'throughput',
      'p99 latency',
      'database CPU per answer',
      'errors',
    ]);
  });
});

describe('addCpu', () => {
  it('adds a slice, and stays unknown once a reading is missing', () => {
    expect(addCpu(10, 100, 130)).toBe(40);
    expect(addCpu(10, null, 130)).toBeNull();
    expect(addCpu(null, 100, 130)).toBeNull();
  });
});

describe('localApiSettings', () => {
  it('is 10 s in 5 slices unless told otherwise', () => {
    expect(localApiSettings({})).toEqual({ seconds: 10, rounds: 5 });
    expect(localApiSettings({ BENCH_API_SECONDS: '4', BENCH_API_ROUNDS: '2' })).toEqual({
      seconds: 4,
      rounds: 2,
    });
  });

  it('refuses what is not a duration or a whole count', () => {
    expect(() => localApiSettings({ BENCH_API_SECONDS: 'soon' })).toThrow(/BENCH_API_SECONDS/);
    expect(() => localApiSettings({ BENCH_API_SECONDS: '-1' })).toThrow(/BENCH_API_SECONDS/);
    expect(() => localApiSettings({ BENCH_API_ROUNDS: '1.5' })).toThrow(/BENCH_API_ROUNDS/);
    expect(() => localApiSettings({ BENCH_API_ROUNDS: '0' })).toThrow(/BENCH_API_ROUNDS/);
  });
});
