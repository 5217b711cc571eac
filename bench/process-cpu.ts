/**
 * CPU time a process has used, from Linux's /proc/<pid>/stat: how much of the machine each server
 * (and the database behind both) spent on a slice of load. Throughput on a shared two-core machine
 * moves with whatever else runs; the CPU spent per answer is our code's cost however busy it is.
 */
import { readFileSync } from 'node:fs';

/** /proc counts in USER_HZ ticks, 100 a second on every Linux this runs on (`getconf CLK_TCK`). */
const TICKS_PER_SECOND = 100;

/** User plus system time, in ms, from the text of /proc/<pid>/stat. */
export const cpuMsFromStat = (stat: string): number => {
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so count after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the comm.
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  if (!Number.isFinite(user) || !Number.isFinite(system)) throw new Error(`not a /proc stat line: ${stat}`);
  return ((user + system) * 1000) / TICKS_PER_SECOND;
};

/** The CPU time `pid` has used so far, in ms; null where /proc cannot tell (not Linux, or gone). */
export const processCpuMs = (pid: number | undefined): number | null => {
  if (pid === undefined) return null;
  try {
    return cpuMsFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
};
