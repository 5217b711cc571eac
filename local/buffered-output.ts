/**
 * The local runtime's stdout and stderr, written once per turn of the event loop rather than once
 * per line. Under load every request writes two lines (the handler's and the gateway's), each a
 * system call of its own on a file, pipe or terminal; gathered, a turn's lines cost one call.
 *
 * Nothing is reordered or lost: the chunks of both streams wait in one queue, in the order they
 * were written, and go out in that order (a run of chunks for the same stream in one write); the
 * queue is written when the process exits, before an uncaught error is printed. Only a
 * signal that kills outright (SIGKILL) can still take the last turn's lines with it.
 */

/** What is replaced of a stream: its write method. */
export interface OutputStream {
  write: NodeJS.WritableStream['write'];
}

export interface BufferedOutput {
  /** Writes everything queued now, synchronously for files, pipes and terminals (as Node writes stdout). */
  flush(): void;
  /** Flushes, gives the streams their own write back and stops listening for the exit. */
  restore(): void;
}

type Callback = (error?: Error | null) => void;

/** Consecutive chunks for one stream, written with one call. */
interface Run {
  target: number;
  chunks: (string | Uint8Array)[];
  callbacks: Callback[];
}

const joined = (chunks: readonly (string | Uint8Array)[]): string | Uint8Array =>
  chunks.every((chunk) => typeof chunk === 'string')
    ? chunks.join('')
    : Buffer.concat(chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk)));

export interface BufferOutputOptions {
  /** When queued chunks are written; `setImmediate`, once this turn's I/O has run. */
  schedule?: (flush: () => void) => void;
  /** Where the exit and the crash are heard; the process. */
  process?: Pick<NodeJS.Process, 'on' | 'off'>;
}

export const bufferOutput = (
  streams: readonly OutputStream[],
  options: BufferOutputOptions = {},
): BufferedOutput => {
  const schedule = options.schedule ?? ((flush) => setImmediate(flush));
  const host = options.process ?? process;
  const writes = streams.map((stream) => stream.write);
  let queue: Run[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const runs = queue;
    queue = [];
    for (const run of runs) {
      const stream = streams[run.target] as OutputStream;
      const callbacks = run.callbacks;
      const done: Callback = (error) => {
        for (const callback of callbacks) callback(error);
      };
      const write = writes[run.target] as (chunk: string | Uint8Array, callback: Callback) => boolean;
      write.call(stream, joined(run.chunks), done);
    }
  };

  const enqueue = (target: number, chunk: string | Uint8Array, callback: Callback | undefined) => {
    let run = queue[queue.length - 1];
    if (run?.target !== target) {
      run = { target, chunks: [], callbacks: [] };
      queue.push(run);
    }
    run.chunks.push(chunk);
    if (callback) run.callbacks.push(callback);
    if (!scheduled) {
      scheduled = true;
      schedule(flush);
    }
  };

  streams.forEach((stream, target) => {
    stream.write = ((
      chunk: string | Uint8Array,
      encoding?: BufferEncoding | Callback,
      callback?: Callback,
    ): boolean => {
      const done = typeof encoding === 'function' ? encoding : callback;
      const named = typeof encoding === 'string' ? encoding : undefined;
      // Text in another encoding is turned into its bytes now, as the stream itself would.
      const data =
        typeof chunk === 'string' && named !== undefined && !/^utf-?8$/i.test(named)
          ? Buffer.from(chunk, named)
          : chunk;
      enqueue(target, data, done);
      return true;
    }) as OutputStream['write'];
  });
  // Also on a crash: Node emits 'exit' before it prints the uncaught error, so the lines come first.
  host.on('exit', flush);

  return {
    flush,
    restore: () => {
      flush();
      streams.forEach((stream, target) => {
        stream.write = writes[target] as OutputStream['write'];
      });
      host.off('exit', flush);
    },
  };
};
