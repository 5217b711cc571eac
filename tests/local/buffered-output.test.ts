import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferOutput, type OutputStream } from '../../local/buffered-output.js';
import { PROJECT_ROOT } from '../../local/paths.js';

/** Two streams recording each write call, and the process events the buffer listens to. */
const fakes = () => {
  const calls: { stream: string; text: string }[] = [];
  const stream = (name: string): OutputStream => ({
    write: ((chunk: string | Uint8Array, callback?: (error?: Error | null) => void) => {
      calls.push({ stream: name, text: typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString() });
      callback?.(null);
      return true;
    }) as OutputStream['write'],
  });
  const listeners = new Map<string, () => void>();
  const host = {
    on: (event: string, listener: () => void) => listeners.set(event, listener),
    off: (event: string) => listeners.delete(event),
  } as unknown as Pick<NodeJS.Process, 'on' | 'off'>;
  let scheduled: (() => void)[] = [];
  const schedule = (flush: () => void) => {
    scheduled.push(flush);
  };
  const runScheduled = () => {
    const now = scheduled;
    scheduled = [];
    for (const flush of now) flush();
  };
  return { calls, stdout: stream('out'), stderr: stream('err'), listeners, host, schedule, runScheduled };
};

describe('buffered output', () => {
  it("writes a turn's chunks once the turn is over, in order, one call per run of one stream", () => {
    const { calls, stdout, stderr, host, schedule, runScheduled } = fakes();
    bufferOutput([stdout, stderr], { schedule, process: host });
    stdout.write('a\n');
    stdout.write('b\n');
    stderr.write('c\n');
    stdout.write(Buffer.from('d\n'));
    stdout.write('e\n');
    expect(calls).toEqual([]);
    runScheduled();
    expect(calls).toEqual([
      { stream: 'out', text: 'a\nb\n' },
      { stream: 'err', text: 'c\n' },
      { stream: 'out', text: 'd\ne\n' },
    ]);
    stderr.write('f\n');
    runScheduled();
    expect(calls.at(-1)).toEqual({ stream: 'err', text: 'f\n' });
  });

  it("calls each write's callback once its chunk is written, and honours an encoding", () => {
    const { calls, stdout, stderr, host, schedule, runScheduled } = fakes();
    bufferOutput([stdout, stderr], { schedule, process: host });
    const done: string[] = [];
    stdout.write('6869', 'hex', () => done.push('hex'));
    stdout.write('\n', () => done.push('newline'));
    expect(done).toEqual([]);
    runScheduled();
    expect(calls).toEqual([{ stream: 'out', text: 'hi\n' }]);
    expect(done).toEqual(['hex', 'newline']);
  });

  it('writes what is queued when the process exits', () => {
    const { calls, stdout, stderr, listeners, host, schedule } = fakes();
    bufferOutput([stdout, stderr], { schedule, process: host });
    stdout.write('before exit\n');
    stderr.write('and on stderr\n');
    listeners.get('exit')?.();
    expect(calls).toEqual([
      { stream: 'out', text: 'before exit\n' },
      { stream: 'err', text: 'and on stderr\n' },
    ]);
  });

  it('gives the streams their own write back on restore, queued chunks written first', () => {
    const { calls, stdout, stderr, listeners, host, schedule } = fakes();
    const own = stdout.write;
    const output = bufferOutput([stdout, stderr], { schedule, process: host });
    stdout.write('queued\n');
    output.restore();
    expect(calls).toEqual([{ stream: 'out', text: 'queued\n' }]);
    expect(stdout.write).toBe(own);
    expect(listeners.size).toBe(0);
  });
});

describe('buffered output of a real process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'buffered-output-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const LINES = 500;

  /** Runs the child with stdout and stderr on one file, so that their order can be read back. */
  const run = async (end: string): Promise<{ code: number | null; text: string }> => {
    const file = join(dir, `${end}.log`);
    const fd = openSync(file, 'w');
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/buffered-output-child.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, LINES: String(LINES), END: end },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    return { code, text: readFileSync(file, 'utf8') };
  };

  const numbered = (text: string) => text.split('\n').filter((line) => /^line \d+$/.test(line));
  const every = Array.from({ length: LINES }, (_, n) => `line ${n}`);

  it.each(['drain', 'exit'])('keeps every line, in order, across both streams (%s)', async (end) => {
    const { code, text } = await run(end);
    expect(code).toBe(0);
    expect(numbered(text)).toEqual(every);
  });

  it.each(['throw', 'reject'])(
    'keeps every line, in order, before the error that ends the process (%s)',
    async (end) => {
      const { code, text } = await run(end);
      expect(code).not.toBe(0);
      expect(numbered(text)).toEqual(every);
      const lastLine = text.indexOf(`line ${LINES - 1}\n`);
      const error = text.indexOf('the last line was written');
      expect(lastLine).toBeGreaterThanOrEqual(0);
      expect(error).toBeGreaterThan(lastLine);
    },
  );
});
