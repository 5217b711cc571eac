/**
 * The one logger of every function: one JSON object per line, written straight to stdout/stderr.
 * Not `console.log`: under Lambda's JSON log format a string given to console is wrapped as the
 * `message` of Lambda's own object, so a JSON line would arrive as an escaped string; a line
 * written to the stream is passed through as it is (Powertools Logger writes through a `Console`
 * of its own on process.stdout/stderr for the same reason). A small
 * wrapper rather than Powertools Logger: docs/operations.md#logs has the cold-start measurements.
 *
 * Fields: `level`, `message`, `timestamp`, the Lambda `requestId`, then the context fields known
 * where the line is written (route, projectId, province, metric, eventId, subscriptionId,
 * deliveryId, correlationId, …). Secrets never reach a line: see `redact`.
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose lines also carry `fields` (a request's id and route, a delivery's ids). */
  child(fields: LogFields): Logger;
}

/** Where lines go; tests pass their own. */
export type LogSink = (level: LogLevel, line: LogFields) => void;

export interface LoggerOptions {
  level?: LogLevel;
  sink?: LogSink;
  now?: () => Date;
}

/** The environment variables a stage sets: ours from the stage setting, and Lambda's own. */
export const LOG_ENV = {
  level: 'LOG_LEVEL',
  lambdaLevel: 'AWS_LAMBDA_LOG_LEVEL',
  /** `pretty` prints `level message key=value …`; `json` forces JSON; unset: pretty on a terminal. */
  format: 'LOG_FORMAT',
} as const;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Lambda's levels (TRACE, DEBUG, INFO, WARN, ERROR, FATAL) and ours, case-insensitively. */
const parseLevel = (value: string | undefined): LogLevel | undefined => {
  const lower = value?.trim().toLowerCase();
  if (lower === 'trace') return 'debug';
  if (lower === 'fatal') return 'error';
  return LOG_LEVELS.find((level) => level === lower);
};

/**
 * The level in force: the stricter of `LOG_LEVEL` and Lambda's `AWS_LAMBDA_LOG_LEVEL`, since
 * Lambda drops whatever is below its own level anyway; `info` when neither is set.
 */
export const logLevelFromEnv = (env: NodeJS.ProcessEnv = process.env): LogLevel => {
  const levels = [parseLevel(env[LOG_ENV.level]), parseLevel(env[LOG_ENV.lambdaLevel])].filter(
    (level): level is LogLevel => level !== undefined,
  );
  if (levels.length === 0) return 'info';
  return levels.reduce((a, b) => (RANK[b] > RANK[a] ? b : a));
};

/**
 * Keys whose values are never logged, at any depth: tokens, secrets, signatures, the
 * Authorization header, signing and webhook secrets, KMS ciphertext, passwords and cookies.
 */
const DENIED_KEY =
  /token|secret|signature|authorization|password|passwd|cookie|ciphertext|credential|api[-_]?key|private[-_]?key|^sig$/i;

export const REDACTED = '[redacted]';

/** Depth past which values are summarised: a log line is not a dump. */
const MAX_DEPTH = 8;

/** A copy of `value` safe to log: denied keys replaced at any depth, errors as name/message/stack. */
export const redact = (value: unknown, depth = 0, seen = new WeakSet<object>()): unknown => {
  if (value instanceof Error) {
    return redact({ name: value.name, message: value.message, stack: value.stack }, depth, seen);
  }
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  const copy = Array.isArray(value)
    ? value.map((item) => redact(item, depth + 1, seen))
    : Object.fromEntries(
        Object.entries(value).map(([key, item]) => [
          key,
          DENIED_KEY.test(key) ? REDACTED : redact(item, depth + 1, seen),
        ]),
      );
  seen.delete(value);
  return copy;
};

/** JSON, one line: what Lambda passes through and Logs Insights parses. */
export const jsonLine = (line: LogFields): string => JSON.stringify(line);

/** Strings quoted only when they would not read as one value; everything else as JSON. */
const prettyValue = (value: unknown): string => {
  if (typeof value !== 'string') return JSON.stringify(value) ?? String(value);
  return value === '' || /[\s"=]/.test(value) ? JSON.stringify(value) : value;
};

/** `level message key=value …`: the same fields, readable in a terminal (the local runtime). */
export const prettyLine = (line: LogFields): string => {
  const { level, message, timestamp: _timestamp, ...rest } = line;
  const pairs = Object.entries(rest)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${prettyValue(value)}`);
  return [String(level).toUpperCase().padEnd(5), String(message), ...pairs].join(' ');
};

const prettyFromEnv = (env: NodeJS.ProcessEnv): boolean => {
  const format = env[LOG_ENV.format]?.toLowerCase();
  if (format === 'pretty') return true;
  if (format === 'json') return false;
  return process.stdout.isTTY === true;
};

/** Errors and warnings to stderr, the rest to stdout, one line per write. */
export const streamSink =
  (env: NodeJS.ProcessEnv = process.env): LogSink =>
  (level, line) => {
    const text = `${prettyFromEnv(env) ? prettyLine(line) : jsonLine(line)}\n`;
    if (level === 'error' || level === 'warn') process.stderr.write(text);
    else process.stdout.write(text);
  };

const OWN_KEYS: ReadonlySet<string> = new Set(['level', 'message', 'timestamp']);

/**
 * The line: its level, message and time first, then every defined field, redacted. A field never
 * overwrites the line's own level, message or time. One pass, as `redact` would copy the fields.
 */
const lineOf = (level: LogLevel, message: string, timestamp: string, fields: LogFields): LogFields => {
  const line: LogFields = { level, message, timestamp };
  const seen = new WeakSet<object>();
  for (const key of Object.keys(fields)) {
    if (OWN_KEYS.has(key)) continue;
    const value = DENIED_KEY.test(key) ? REDACTED : redact(fields[key], 1, seen);
    if (value !== undefined) line[key] = value;
  }
  return line;
};

export const createLogger = (options: LoggerOptions = {}, bound: LogFields = {}): Logger => {
  // Read once, and handed down to children: a request's logger is a child made on every request.
  const settings: Required<LoggerOptions> = {
    level: options.level ?? logLevelFromEnv(),
    sink: options.sink ?? streamSink(),
    now: options.now ?? (() => new Date()),
  };
  const threshold = RANK[settings.level];
  const write = (level: LogLevel, message: string, fields: LogFields | undefined) => {
    if (RANK[level] < threshold) return;
    const merged = fields === undefined ? bound : { ...bound, ...fields };
    settings.sink(level, lineOf(level, message, settings.now().toISOString(), merged));
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    child: (fields) => createLogger(settings, { ...bound, ...fields }),
  };
};

/**
 * The logger of an invocation, its level and format read from the environment (two variables:
 * nothing worth caching, and a test can change them).
 */
export const logger = (): Logger => createLogger();

/** What a handler needs of Lambda's context: its request id, which every line carries. */
export interface InvocationContext {
  awsRequestId: string;
}

/** The lines of one invocation: `base` (a test's) or the process's logger, with the request id. */
export const invocationLogger = (base: Logger | undefined, context: InvocationContext | undefined): Logger =>
  (base ?? logger()).child({ requestId: context?.awsRequestId });
