import { afterEach, describe, expect, it, vi } from 'vitest';
import { chooseCorrelationId, isSaneCorrelationId } from '../../../functions/observability/correlation-id.js';
import {
  createLogger,
  type LogFields,
  logger,
  logLevelFromEnv,
  prettyLine,
  REDACTED,
  redact,
} from '../../../functions/observability/logger.js';

const NOW = new Date('2024-06-30T08:00:00.000Z');

const capture = (level: Parameters<typeof createLogger>[0] extends infer O ? O : never = {}) => {
  const lines: { level: string; line: LogFields }[] = [];
  const log = createLogger({
    level: 'info',
    now: () => NOW,
    ...level,
    sink: (l, line) => lines.push({ level: l, line }),
  });
  return { log, lines };
};

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('the logger', () => {
  it('writes level, message, timestamp, then the bound and given fields, without undefined ones', () => {
    const { log, lines } = capture();
    log
      .child({ requestId: 'req-1', route: 'POST /projects/{projectId}/milestones' })
      .child({ correlationId: 'corr-1' })
      .info('request', { projectId: 'rail-2024', province: 'jiangsu', status: 201, absent: undefined });
    expect(lines).toEqual([
      {
        level: 'info',
        line: {
          level: 'info',
          message: 'request',
          timestamp: '2024-06-30T08:00:00.000Z',
          requestId: 'req-1',
          route: 'POST /projects/{projectId}/milestones',
          correlationId: 'corr-1',
          projectId: 'rail-2024',
          province: 'jiangsu',
          status: 201,
        },
      },
    ]);
    expect(Object.keys(lines[0]?.line ?? {}).slice(0, 3)).toEqual(['level', 'message', 'timestamp']);
  });

  it('never lets a field overwrite the level, message or time of a line', () => {
    const { log, lines } = capture();
    log.warn('the real message', { level: 'debug', message: 'forged', timestamp: 'yesterday' });
    expect(lines[0]?.line).toEqual({
      level: 'warn',
      message: 'the real message',
      timestamp: '2024-06-30T08:00:00.000Z',
    });
  });

  it('drops lines below its level', () => {
    const { log, lines } = capture({ level: 'warn' });
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(lines.map((l) => l.line.message)).toEqual(['w', 'e']);
  });

  it('reads its level once: a child, made on every request, keeps its parent’s', () => {
    vi.stubEnv('LOG_LEVEL', 'warn');
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', '');
    const lines: string[] = [];
    const parent = createLogger({ sink: (_, line) => lines.push(String(line.message)) });
    vi.stubEnv('LOG_LEVEL', 'debug');
    const child = parent.child({ requestId: 'req-1' });
    child.info('below the level read at first');
    child.warn('at it');
    expect(lines).toEqual(['at it']);
  });

  it('takes its level from LOG_LEVEL and Lambda’s AWS_LAMBDA_LOG_LEVEL, the stricter winning', () => {
    expect(logLevelFromEnv({})).toBe('info');
    expect(logLevelFromEnv({ LOG_LEVEL: 'debug' })).toBe('debug');
    expect(logLevelFromEnv({ LOG_LEVEL: 'WARN' })).toBe('warn');
    expect(logLevelFromEnv({ AWS_LAMBDA_LOG_LEVEL: 'ERROR' })).toBe('error');
    expect(logLevelFromEnv({ AWS_LAMBDA_LOG_LEVEL: 'TRACE' })).toBe('debug');
    expect(logLevelFromEnv({ AWS_LAMBDA_LOG_LEVEL: 'FATAL' })).toBe('error');
    expect(logLevelFromEnv({ LOG_LEVEL: 'debug', AWS_LAMBDA_LOG_LEVEL: 'WARN' })).toBe('warn');
    expect(logLevelFromEnv({ LOG_LEVEL: 'error', AWS_LAMBDA_LOG_LEVEL: 'INFO' })).toBe('error');
    expect(logLevelFromEnv({ LOG_LEVEL: 'loud' })).toBe('info');
  });

  it('writes one JSON object per line to stdout, warnings and errors to stderr (not through console)', () => {
    vi.stubEnv('LOG_LEVEL', 'info');
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', '');
    vi.stubEnv('LOG_FORMAT', 'json');
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const consoleLog = vi.spyOn(console, 'log');
    logger().info('hello', { requestId: 'req-1' });
    logger().error('broken', { requestId: 'req-2' });
    expect(consoleLog).not.toHaveBeenCalled();
    expect(out).toHaveBeenCalledTimes(1);
    expect(err).toHaveBeenCalledTimes(1);
    const written = String(out.mock.calls[0]?.[0]);
    expect(written.endsWith('\n')).toBe(true);
    expect(written.trimEnd()).not.toContain('\n');
    expect(JSON.parse(written)).toMatchObject({ level: 'info', message: 'hello', requestId: 'req-1' });
    expect(JSON.parse(String(err.mock.calls[0]?.[0]))).toMatchObject({ level: 'error', message: 'broken' });
  });

  it('prints `LEVEL message key=value …` with LOG_FORMAT=pretty, for a terminal', () => {
    vi.stubEnv('LOG_LEVEL', 'info');
    vi.stubEnv('LOG_FORMAT', 'pretty');
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    logger().info('event fanned out', { eventId: 'e-1', matched: 2, note: 'two words' });
    expect(String(out.mock.calls[0]?.[0])).toBe(
      'INFO  event fanned out eventId=e-1 matched=2 note="two words"\n',
    );
    expect(prettyLine({ level: 'error', message: 'm', timestamp: 't', nested: { a: 1 } })).toBe(
      'ERROR m nested={"a":1}',
    );
  });
});

describe('redaction', () => {
  it('replaces every denied key at any depth, in objects and arrays, and keeps the rest', () => {
    const { log, lines } = capture();
    log.child({ authorization: 'Bearer eyJhbGciOi' }).error('webhook failed', {
      headers: {
        Authorization: 'Bearer eyJhbGciOi',
        'webhook-signature': 'v1,abc=',
        'content-type': 'application/json',
      },
      subscription: {
        id: 'sub-1',
        secret: { ciphertext: 'AQICAHh…', keyId: 'k' },
        previousSecret: 'whsec_old',
        signingSecret: 'whsec_x',
        webhookSecret: 'whsec_y',
      },
      kms: { CiphertextBlob: 'AQICAHh…' },
      attempts: [{ idToken: 'a', accessToken: 'b', refresh_token: 'c', status: 500 }],
      deep: { a: { b: { c: { d: { signature: 'sig', password: 'p', apiKey: 'k' } } } } },
    });
    const line = lines[0]?.line;
    expect(line).toEqual({
      level: 'error',
      message: 'webhook failed',
      timestamp: '2024-06-30T08:00:00.000Z',
      authorization: REDACTED,
      headers: { Authorization: REDACTED, 'webhook-signature': REDACTED, 'content-type': 'application/json' },
      subscription: {
        id: 'sub-1',
        secret: REDACTED,
        previousSecret: REDACTED,
        signingSecret: REDACTED,
        webhookSecret: REDACTED,
      },
      kms: { CiphertextBlob: REDACTED },
      attempts: [{ idToken: REDACTED, accessToken: REDACTED, refresh_token: REDACTED, status: 500 }],
      deep: { a: { b: { c: { d: { signature: REDACTED, password: REDACTED, apiKey: REDACTED } } } } },
    });
    const text = JSON.stringify(line);
    for (const secret of ['eyJhbGciOi', 'v1,abc=', 'AQICAHh', 'whsec_', 'sig"']) {
      expect(text).not.toContain(secret);
    }
  });

  it('logs an error by name, message and stack, and survives cycles', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const redacted = redact({ error: new TypeError('boom'), cyclic }) as Record<
      string,
      Record<string, unknown>
    >;
    expect(redacted.error).toMatchObject({ name: 'TypeError', message: 'boom' });
    expect(String(redacted.error?.stack)).toContain('TypeError: boom');
    expect(redacted.cyclic).toEqual({ name: 'loop', self: '[circular]' });
  });
});

describe('the correlation id a caller offers', () => {
  it('is taken when it is at most 128 characters of [A-Za-z0-9._:-]', () => {
    for (const sane of [
      'abc',
      'A-b_c.d:e',
      'x'.repeat(128),
      'Root=1-5f84c7a1-4c1f0a9d8e7b6a5c4d3e2f10'.replace('=', ':'),
    ]) {
      expect(isSaneCorrelationId(sane)).toBe(true);
      expect(chooseCorrelationId(sane, 'req-1')).toBe(sane);
    }
  });

  it('is ignored for the request id otherwise', () => {
    for (const insane of [
      undefined,
      '',
      'x'.repeat(129),
      'has space',
      'line\nbreak',
      'quote"',
      'semi;colon',
      'slash/',
      'équipe',
      '中文',
      '{jndi:ldap://x}',
    ]) {
      expect(isSaneCorrelationId(insane)).toBe(false);
      expect(chooseCorrelationId(insane, 'req-1')).toBe('req-1');
    }
  });
});
