/**
 * The local-API case's load: `connections` keep-alive sockets, each sending a GET, reading the
 * whole answer and sending the next, for a fixed time. Only a 200 with its whole body counts; any
 * other answer or failure is an error, counted by kind. Our own rather than a load-testing package:
 * a few lines of node:http, and no dependency to install.
 */
import { Agent, get } from 'node:http';

export interface LoadOptions {
  /** `http://host:port`, no path. */
  url: string;
  /** Requested in turn, each connection starting at its own offset. */
  paths: readonly string[];
  connections: number;
  durationMs: number;
  /** A request unanswered after this long is an error (and its socket is dropped). */
  requestTimeoutMs?: number;
}

export interface LoadResult {
  /** 200 answers with a complete body, finished within the duration. */
  completed: number;
  /** From the first request sent to the end of the duration. */
  elapsedMs: number;
  /** Each kind of failure (`status 404`, `incomplete body`, `error ECONNRESET`) and its count. */
  errors: Record<string, number>;
  /** Send to last byte, of every completed answer. */
  latenciesMs: number[];
}

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** What became of one request: `ok`, or the kind of error. */
const requestOnce = (agent: Agent, url: URL, path: string, timeoutMs: number): Promise<string> =>
  new Promise((settle) => {
    const request = get(
      { agent, hostname: url.hostname, port: url.port, path, timeout: timeoutMs },
      (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.byteLength;
        });
        response.on('error', (error: NodeJS.ErrnoException) =>
          settle(`error ${error.code ?? error.message}`),
        );
        response.on('end', () => {
          if (response.statusCode !== 200) return settle(`status ${response.statusCode}`);
          const declared = response.headers['content-length'];
          const whole = response.complete && (declared === undefined || Number(declared) === bytes);
          settle(whole ? 'ok' : 'incomplete body');
        });
      },
    );
    request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    request.on('error', (error: NodeJS.ErrnoException) => settle(`error ${error.code ?? error.message}`));
  });

/** Sends load to `url` for `durationMs`; resolves once every request still open has ended. */
export const runLoad = async (options: LoadOptions): Promise<LoadResult> => {
  if (options.paths.length === 0) throw new Error('the load needs at least one path');
  const url = new URL(options.url);
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const errors: Record<string, number> = {};
  const latenciesMs: number[] = [];
  let completed = 0;
  const started = performance.now();
  const end = started + options.durationMs;

  const connection = async (offset: number) => {
    for (let n = offset; performance.now() < end; n++) {
      const sent = performance.now();
      const outcome = await requestOnce(
        agent,
        url,
        options.paths[n % options.paths.length] as string,
        timeoutMs,
      );
      const answered = performance.now();
      // An answer after the end belongs to no measured second.
      if (answered > end) break;
      if (outcome === 'ok') {
        completed += 1;
        latenciesMs.push(answered - sent);
      } else {
        errors[outcome] = (errors[outcome] ?? 0) + 1;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.connections }, (_, index) => connection(index)));
  } finally {
    agent.destroy();
  }
  return { completed, elapsedMs: end - started, errors, latenciesMs };
};

/** Answers per second over the duration. */
export const throughput = (result: Pick<LoadResult, 'completed' | 'elapsedMs'>): number =>
  result.elapsedMs > 0 ? (result.completed * 1000) / result.elapsedMs : 0;

/** Several runs against the same server as one: their counts, times and latencies added up. */
export const mergeLoads = (results: readonly LoadResult[]): LoadResult => {
  const errors: Record<string, number> = {};
  for (const result of results) {
    for (const [kind, count] of Object.entries(result.errors)) errors[kind] = (errors[kind] ?? 0) + count;
  }
  return {
    completed: results.reduce((sum, result) => sum + result.completed, 0),
    elapsedMs: results.reduce((sum, result) => sum + result.elapsedMs, 0),
    errors,
    latenciesMs: results.flatMap((result) => result.latenciesMs),
  };
};
