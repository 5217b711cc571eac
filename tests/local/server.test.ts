import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ROUTES, type RouteDefinition } from '../../functions/http/routes.js';
import type { HttpEvent } from '../../functions/http/types.js';
import { STAGES } from '../../lib/stage-config.js';
import { type LocalAuth, loadLocalAuth } from '../../local/local-auth.js';
import { createLocalServer, type HandlerLoader, type LocalServer } from '../../local/server.js';

interface Echo {
  event: HttpEvent;
  context: { awsRequestId: string; functionName: string; logStreamName: string; remainingMs: number };
}

const EXTRA_ROUTES: RouteDefinition[] = [
  {
    id: 'crash',
    method: 'GET',
    path: '/crash',
    handler: 'crash',
    access: 'public',
    tableAccess: 'none',
    summary: '',
  },
  {
    id: 'file',
    method: 'GET',
    path: '/file',
    handler: 'file',
    access: 'public',
    tableAccess: 'none',
    summary: '',
  },
];

const SECRET = 'db password is hunter2';
const invocations: string[] = [];

const loadHandler: HandlerLoader = async (route) => {
  if (route.handler === 'crash') {
    return async () => {
      throw new Error(SECRET);
    };
  }
  if (route.handler === 'file') {
    return async () => ({
      statusCode: 200,
      headers: { 'Content-Type': 'application/octet-stream' },
      cookies: ['a=1; Path=/', 'b=2; Path=/'],
      body: Buffer.from([0, 1, 2, 255]).toString('base64'),
      isBase64Encoded: true,
    });
  }
  return async (event: HttpEvent, context: Context) => {
    invocations.push(event.routeKey);
    const echo: Echo = {
      event,
      context: {
        awsRequestId: context.awsRequestId,
        functionName: context.functionName,
        logStreamName: context.logStreamName,
        remainingMs: context.getRemainingTimeInMillis(),
      },
    };
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(echo) };
  };
};

let dataDir: string;
let otherDataDir: string;
let auth: LocalAuth;
let server: LocalServer;
let privateReads: LocalServer;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tracker-server-'));
  otherDataDir = await mkdtemp(join(tmpdir(), 'tracker-server-other-'));
  auth = await loadLocalAuth(dataDir);
  const common = { routes: [...ROUTES, ...EXTRA_ROUTES], loadHandler, verify: auth.verifyToken, quiet: true };
  server = await createLocalServer({ ...common, stage: STAGES.local });
  privateReads = await createLocalServer({ ...common, stage: { ...STAGES.local, publicReads: false } });
});

afterAll(async () => {
  await server?.close();
  await privateReads?.close();
  await rm(dataDir, { recursive: true, force: true });
  await rm(otherDataDir, { recursive: true, force: true });
});

const echoOf = async (response: Response): Promise<Echo> => {
  expect(response.status).toBe(200);
  return (await response.json()) as Echo;
};

const expectProblem = async (response: Response, status: number, type: string) => {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const problem = (await response.json()) as Record<string, unknown>;
  expect(problem).toMatchObject({ type: `urn:livelihood-tracker:problem:${type}`, status });
  expect(problem.title).toEqual(expect.any(String));
  expect(problem.detail).toEqual(expect.any(String));
  return problem;
};

/** node:http rather than fetch, to send a header twice. */
const rawGet = (
  url: string,
  headers: Record<string, string | string[]>,
): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });

const milestones = () => `${server.url}/projects/rail-2024/milestones`;

describe('local API gateway', () => {
  it('hands the handler an API Gateway payload 2.0 event', async () => {
    const sentAt = Date.now();
    const response = await rawGet(`${server.url}/projects/rail%2D2024/milestones?limit=5&tag=a&tag=b%20c`, {
      'X-Office-Note': ['first', 'second'],
      Cookie: 'session=abc; theme=dark',
      'User-Agent': 'tracker-test',
    });
    const answeredAt = Date.now();
    expect(response.status).toBe(200);
    const { event, context } = JSON.parse(response.body) as Echo;

    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /projects/{projectId}/milestones',
      rawPath: '/projects/rail%2D2024/milestones',
      rawQueryString: 'limit=5&tag=a&tag=b%20c',
      pathParameters: { projectId: 'rail-2024' },
      queryStringParameters: { limit: '5', tag: 'a,b c' },
      cookies: ['session=abc', 'theme=dark'],
      isBase64Encoded: false,
    });
    expect(event.headers['x-office-note']).toBe('first,second');
    expect(event.headers['user-agent']).toBe('tracker-test');
    expect(event.headers).not.toHaveProperty('cookie');
    expect(event.headers).not.toHaveProperty('X-Office-Note');
    expect(event.body).toBeUndefined();
    expect(event.requestContext).toMatchObject({
      accountId: 'local',
      apiId: 'local',
      routeKey: 'GET /projects/{projectId}/milestones',
      stage: '$default',
      http: {
        method: 'GET',
        path: '/projects/rail%2D2024/milestones',
        protocol: 'HTTP/1.1',
        userAgent: 'tracker-test',
      },
    });
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    // The time the request arrived: between sending it and reading the answer, however slow the machine.
    expect(event.requestContext.timeEpoch).toBeGreaterThanOrEqual(sentAt);
    expect(event.requestContext.timeEpoch).toBeLessThanOrEqual(answeredAt);
    expect(event.requestContext.authorizer).toBeUndefined();
    expect(context.functionName).toBe('livelihood-tracker-local-list-milestones');
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.remainingMs).toBeGreaterThan(0);
  });

  it('runs each function in one environment, as Lambda does: one log stream, a new request id and trace each time', async () => {
    const [first, second] = [
      await echoOf(await fetch(`${server.url}/projects/rail-2024/milestones`)),
      await echoOf(await fetch(`${server.url}/projects/rail-2024/milestones`)),
    ];
    const other = await echoOf(await fetch(`${server.url}/projects`));
    expect(first?.context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(second?.context.logStreamName).toBe(first?.context.logStreamName);
    expect(other.context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(other.context.logStreamName).not.toBe(first?.context.logStreamName);
    expect(second?.context.awsRequestId).not.toBe(first?.context.awsRequestId);
    const traces = [first, second, other].map((echo) => echo?.event.headers['x-amzn-trace-id']);
    for (const trace of traces) expect(trace).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(new Set(traces).size).toBe(3);
  });

  it('omits query parameters and path parameters the request does not have', async () => {
    const { event } = await echoOf(await fetch(`${server.url}/projects`));
    expect(event.rawQueryString).toBe('');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
  });

  it('passes the verified claims as the JWT authorizer flattens them', async () => {
    const token = await auth.signToken('jiangsu');
    const body = JSON.stringify({ value: 210, asOf: '2024-06-30', note: '苏州' });
    const { event } = await echoOf(
      await fetch(milestones(), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'Idempotency-Key': 'k-1',
        },
        body,
      }),
    );

    expect(event.body).toBe(body);
    expect(event.isBase64Encoded).toBe(false);
    expect(event.headers['idempotency-key']).toBe('k-1');
    expect(event.requestContext.authorizer?.jwt).toMatchObject({
      claims: { sub: 'local-jiangsu', 'cognito:groups': '[jiangsu]', 'cognito:username': 'local-jiangsu' },
      scopes: null,
    });
  });

  it('base64-encodes a body that is not text', async () => {
    const token = await auth.signToken('jiangsu');
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    const { event } = await echoOf(
      await fetch(milestones(), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
        body: bytes,
      }),
    );
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64').equals(bytes)).toBe(true);
  });

  it('refuses a token route without a token, before the handler runs', async () => {
    const before = invocations.length;
    const response = await fetch(milestones(), { method: 'POST', body: '{}' });
    await expectProblem(response, 401, 'unauthenticated');
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(invocations.length).toBe(before);
  });

  it('refuses malformed, expired and foreign tokens, and other schemes', async () => {
    const foreign = await (await loadLocalAuth(otherDataDir)).signToken('jiangsu');
    const expired = await auth.signToken('jiangsu', { expiresIn: '-1h' });
    const valid = await auth.signToken('jiangsu');
    for (const authorization of [
      'Bearer not-a-jwt',
      `Bearer ${expired}`,
      `Bearer ${foreign}`,
      `Basic ${Buffer.from('jiangsu:pw').toString('base64')}`,
      valid,
    ]) {
      const response = await fetch(milestones(), { method: 'POST', headers: { authorization }, body: '{}' });
      await expectProblem(response, 401, 'unauthenticated');
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('lets reads through without a token on a stage with public reads, and not otherwise', async () => {
    expect((await fetch(`${server.url}/projects/rail-2024`)).status).toBe(200);
    await expectProblem(await fetch(`${privateReads.url}/projects/rail-2024`), 401, 'unauthenticated');
    const token = await auth.signToken('anhui');
    const { event } = await echoOf(
      await fetch(`${privateReads.url}/projects/rail-2024`, {
        headers: { authorization: `Bearer ${token}` },
      }),
    );
    expect(event.requestContext.authorizer?.jwt?.claims['cognito:groups']).toBe('[anhui]');
    expect((await fetch(`${privateReads.url}/health`)).status).toBe(200);
  });

  it('answers 404 for a path no route declares', async () => {
    await expectProblem(await fetch(`${server.url}/nowhere`), 404, 'not-found');
    await expectProblem(await fetch(`${server.url}/projects/rail-2024/milestones/extra`), 404, 'not-found');
  });

  it('answers 405 with Allow for a declared path and an undeclared method', async () => {
    const response = await fetch(`${server.url}/projects/rail-2024`, { method: 'DELETE' });
    await expectProblem(response, 405, 'method-not-allowed');
    expect(response.headers.get('allow')).toBe('GET, PUT');
  });

  it('answers 431 with a problem document when the request line and headers pass 16 KB', async () => {
    const before = invocations.length;
    const response = await fetch(`${server.url}/projects?year=${'9'.repeat(17 * 1024)}`);
    await expectProblem(response, 431, 'header-fields-too-large');
    expect(invocations.length).toBe(before);
  });

  it('answers 400 with a problem document to bytes that are not HTTP', async () => {
    const { port } = new URL(server.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.end('GET / FTP/9\r\n\r\n'));
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk.toString('utf8');
      });
      socket.on('end', () => resolve(received));
      socket.on('error', reject);
    });
    const [head = '', body = ''] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head.toLowerCase()).toContain('content-type: application/problem+json');
    expect(JSON.parse(body)).toMatchObject({
      type: 'urn:livelihood-tracker:problem:malformed-request',
      status: 400,
    });
  });

  it('refuses a body over 1 MB with 413, without calling the handler', async () => {
    const token = await auth.signToken('jiangsu');
    const before = invocations.length;
    const response = await fetch(milestones(), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: 'x'.repeat(1024 * 1024 + 1),
    });
    await expectProblem(response, 413, 'payload-too-large');
    expect(invocations.length).toBe(before);
  });

  it('stops reading a chunked body once it passes 1 MB', async () => {
    const token = await auth.signToken('jiangsu');
    const before = invocations.length;
    const chunk = new Uint8Array(64 * 1024).fill(120);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 2 * 1024 * 1024) controller.close();
        else {
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        }
      },
    });
    const response = await fetch(milestones(), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    await expectProblem(response, 413, 'payload-too-large');
    expect(invocations.length).toBe(before);
  });

  it('accepts a body of exactly 1 MB', async () => {
    const token = await auth.signToken('jiangsu');
    const { event } = await echoOf(
      await fetch(milestones(), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
        body: 'x'.repeat(1024 * 1024),
      }),
    );
    expect(event.body?.length).toBe(1024 * 1024);
  });

  it('turns a handler crash into a 500 problem that reveals nothing', async () => {
    const response = await fetch(`${server.url}/crash`);
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const text = await response.text();
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('server.test.ts');
    const problem = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(problem).sort()).toEqual(['detail', 'instance', 'status', 'title', 'type']);
    expect(problem).toMatchObject({ title: 'Internal Server Error', status: 500 });
  });

  it('writes base64 results as bytes and cookies as Set-Cookie headers', async () => {
    const response = await fetch(`${server.url}/file`);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
  });

  it('loads the real handler module when no loader is given', async () => {
    const real = await createLocalServer({ verify: auth.verifyToken, quiet: true });
    try {
      const response = await fetch(`${real.url}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
    } finally {
      await real.close();
    }
  });

  it('closes even while a client holds a keep-alive connection open', async () => {
    const extra = await createLocalServer({ loadHandler, verify: auth.verifyToken, quiet: true });
    expect((await fetch(`${extra.url}/health`, { headers: { connection: 'keep-alive' } })).status).toBe(200);
    // On a frozen clock the grace period never ends: close() must not be waiting for it.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const started = performance.now();
    try {
      await extra.close();
      // …and it leaves no timer behind (the grace's, cleared once every connection ended).
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
    console.info(`close with an idle keep-alive client: ${Math.round(performance.now() - started)} ms`);
    await expect(fetch(`${extra.url}/health`)).rejects.toThrow();
  });
});

describe('local API gateway: CORS and the access line', () => {
  it('answers a preflight itself, with the methods the path has', async () => {
    const response = await fetch(`${server.url}/projects/rail-2024`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'PUT' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,PUT');
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(response.headers.get('apigw-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(invocations).not.toContain('OPTIONS /projects/{projectId}');
  });

  it("adds the stage's CORS headers to a handler's answer, naming an allowed origin", async () => {
    const named = await createLocalServer({
      routes: ROUTES,
      loadHandler,
      verify: auth.verifyToken,
      quiet: true,
      stage: { ...STAGES.local, corsOrigins: ['https://tracker.example'] },
    });
    try {
      const allowed = await fetch(`${named.url}/projects`, {
        headers: { Origin: 'https://tracker.example' },
      });
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://tracker.example');
      expect(allowed.headers.get('vary')).toBe('origin');
      const other = await fetch(`${named.url}/projects`, {
        headers: { Origin: 'https://elsewhere.example' },
      });
      expect(other.status).toBe(200);
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await named.close();
    }
  });

  it('writes one access line per request straight to stdout, where the handlers write theirs', async () => {
    const logged = await createLocalServer({ routes: ROUTES, loadHandler, verify: auth.verifyToken });
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const response = await fetch(`${logged.url}/projects?limit=2`);
      expect(response.status).toBe(200);
      const lines = write.mock.calls.map(([chunk]) => String(chunk));
      expect(lines).toEqual([expect.stringMatching(/^GET \/projects 200 \d+ms\n$/)]);
    } finally {
      write.mockRestore();
      await logged.close();
    }
  });
});
