import { describe, expect, it } from 'vitest';
import { cpuMsFromStat, processCpuMs } from '../../../bench/process-cpu.js';

describe('cpuMsFromStat', () => {
  it('adds user and system ticks, at 100 a second', () => {
    const stat = '4242 (node) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 37 0 0 20 0 11 0 123 456 789';
    expect(cpuMsFromStat(stat)).toBe(2870);
  });

  it('reads past a command name with spaces and parentheses', () => {
    const stat = '77 (a (b) c) R 1 77 77 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 1 1 1';
    expect(cpuMsFromStat(stat)).toBe(110);
  });

  it('refuses a line that is not a stat line', () => {
    expect(() => cpuMsFromStat('nonsense')).toThrow(/not a \/proc stat line/);
  });
});

describe('processCpuMs', () => {
  it('grows as this process works, where /proc exists', () => {
    const before = processCpuMs(process.pid);
    if (before === null) return expect(process.platform).not.toBe('linux');
    let spin = 0;
    const until = performance.now() + 60;
    while (performance.now() < until) spin += 1;
    expect(spin).toBeGreaterThan(0);
    expect(processCpuMs(process.pid)).toBeGreaterThan(before);
  });

  it('is null for no process', () => {
    expect(processCpuMs(undefined)).toBeNull();
    expect(processCpuMs(2 ** 30)).toBeNull();
  });
});
