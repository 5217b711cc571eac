import type { LookupAddress } from 'node:dns';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  COULD_NOT_CONNECT,
  MAX_RESPONSE_BYTES,
  sendWebhook,
  USER_AGENT,
} from '../../../functions/webhooks/sender.js';
import { generateSecret, sign, verify, webhookHeaders } from '../../../functions/webhooks/signature.js';

interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

interface TestServer {
  url: string;
  port: number;
  received: Received[];
}

const servers: Server[] = [];

/** An HTTP server on 127.0.0.1 and a free port that records each request, then lets `respond` answer. */
async function startServer(respond: (res: ServerResponse, received: Received) => void): Promise<TestServer> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(request);
      respond(res, request);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, received };
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

/** A port nothing listens on: one the system just handed out, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const SECRET = generateSecret();
const BODY = JSON.stringify({
  type: 'milestone.recorded',
  data: { projectId: '2024-jiangsu-01', 进展: '完成' },
});

function signed(body = BODY) {
  const timestamp = Math.floor(Date.now() / 1000);
  return webhookHeaders({
    id: 'msg_01',
    timestamp,
    signature: sign({ secret: SECRET, id: 'msg_01', timestamp, body }),
  });
}

const send = (url: string, overrides: Partial<Parameters<typeof sendWebhook>[0]> = {}) =>
  sendWebhook({ url, headers: signed(), body: BODY, timeoutMs: 2_000, allowLocalhost: true, ...overrides });

describe('sendWebhook', () => {
  it('delivers on 200, with the signed headers and the body received intact', async () => {
    const server = await startServer((res) => res.writeHead(200).end('ok'));

    await expect(send(`${server.url}/hooks/livelihood?office=jiangsu`)).resolves.toEqual({
      kind: 'delivered',
      status: 200,
    });

    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/hooks/livelihood?office=jiangsu');
    expect(request?.body).toBe(BODY);
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'content-length': String(Buffer.byteLength(BODY)),
      ...signed(),
    });
    expect(() =>
      verify({ secret: SECRET, headers: request?.headers ?? {}, body: request?.body ?? '' }),
    ).not.toThrow();
  });

  it('counts any 2xx as delivered', async () => {
    const server = await startServer((res) => res.writeHead(204).end());
    await expect(send(server.url)).resolves.toEqual({ kind: 'delivered', status: 204 });
  });

  it('reports gone on 410', async () => {
    const server = await startServer((res) => res.writeHead(410).end('unsubscribed'));
    await expect(send(server.url)).resolves.toEqual({ kind: 'gone', status: 410 });
  });

  it('retries a 503 after the seconds of its Retry-After', async () => {
    const server = await startServer((res) => res.writeHead(503, { 'retry-after': '120' }).end());
    await expect(send(server.url)).resolves.toEqual({
      kind: 'retry',
      status: 503,
      retryAfterSeconds: 120,
      error: 'HTTP 503',
    });
  });

  it('retries a 429 after the date of its Retry-After', async () => {
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 60_000).toUTCString();
    const server = await startServer((res) => res.writeHead(429, { 'retry-after': at }).end());
    const result = await send(server.url);
    expect(result).toMatchObject({ kind: 'retry', status: 429, error: 'HTTP 429' });
    expect(result.kind === 'retry' && result.retryAfterSeconds).toBeGreaterThanOrEqual(58);
    expect(result.kind === 'retry' && result.retryAfterSeconds).toBeLessThanOrEqual(61);
  });

  it('retries other statuses without a Retry-After', async () => {
    const server = await startServer((res) => res.writeHead(404).end('no such hook'));
    await expect(send(server.url)).resolves.toEqual({ kind: 'retry', status: 404, error: 'HTTP 404' });
  });

  it('retries a 302 without following the redirect', async () => {
    const target = await startServer((res) => res.writeHead(200).end());
    const server = await startServer((res) =>
      res.writeHead(302, { location: `${target.url}/elsewhere` }).end(),
    );

    await expect(send(server.url)).resolves.toEqual({
      kind: 'retry',
      status: 302,
      error: 'redirects are not followed',
    });
    expect(server.received).toHaveLength(1);
    expect(target.received).toHaveLength(0);
  });

  it('gives up with a timeout when the server never answers, at timeoutMs and not before, and hangs up', async () => {
    // The sender's clock is the test's: nothing depends on how fast this machine is.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let hungUp!: Promise<void>;
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const server = await startServer((res) => {
      // Never answers.
      hungUp = new Promise((resolve) => res.socket?.once('close', () => resolve()));
      arrived();
    });
    let result: Awaited<ReturnType<typeof send>> | undefined;
    const sending = send(server.url, { timeoutMs: 300 }).then((settled) => {
      result = settled;
    });

    await requestArrived;
    await vi.advanceTimersByTimeAsync(299);
    expect(result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await sending;

    expect(result).toEqual({ kind: 'retry', error: 'timeout' });
    expect(server.received).toHaveLength(1);
    await hungUp;
  });

  it('counts a connect that never happens against the timeout, and reports it as any failed connect', async () => {
    const lookup = () => new Promise<LookupAddress[]>(() => {});
    await expect(send('https://hooks.example.org/x', { lookup, timeoutMs: 200 })).resolves.toEqual({
      kind: 'retry',
      error: COULD_NOT_CONNECT,
    });
  });

  it('keeps a 2xx as delivered when its body never ends', async () => {
    const server = await startServer((res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('still thinking');
    });
    await expect(send(server.url, { timeoutMs: 300 })).resolves.toEqual({ kind: 'delivered', status: 200 });
  });

  it('stops reading a response body after 64 KB', async () => {
    let written = 0;
    const server = await startServer((res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(16 * 1024, 'x');
      const pump = () => {
        // Writes until the client goes away: an endless error page.
        let more = true;
        while (more && !res.destroyed) {
          written += chunk.length;
          more = res.write(chunk);
        }
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });

    // The sender's timeout can never fire on this frozen clock: if the answer comes, it is because
    // the client hung up after 64 KB, not because it gave up waiting for an end that never comes.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const started = performance.now();
    await expect(send(server.url, { timeoutMs: 5_000 })).resolves.toEqual({
      kind: 'retry',
      status: 500,
      error: 'HTTP 500',
    });
    console.info(
      `64 KB of an endless error page, then hung up: ${Math.round(performance.now() - started)} ms`,
    );
    expect(written).toBeGreaterThanOrEqual(MAX_RESPONSE_BYTES);
  });

  it('retries when the connection is refused', async () => {
    const port = await closedPort();
    await expect(send(`http://127.0.0.1:${port}/hook`)).resolves.toEqual({
      kind: 'retry',
      error: COULD_NOT_CONNECT,
    });
  });

  it('retries when the server drops the connection without answering', async () => {
    const server = await startServer((res) => res.socket?.destroy());
    await expect(send(server.url)).resolves.toEqual({ kind: 'retry', error: COULD_NOT_CONNECT });
  });

  it('records one text for refused, reset, unresolved and never connected: the subscriber cannot scan with it', async () => {
    const dropping = await startServer((res) => res.socket?.destroy());
    const failing = (code: string) => async (): Promise<LookupAddress[]> => {
      throw Object.assign(new Error(`getaddrinfo ${code} hooks.example.org`), { code });
    };
    const results = [
      await send(`http://127.0.0.1:${await closedPort()}/hook`),
      await send(dropping.url),
      await send('https://hooks.example.org/x', { lookup: failing('ENOTFOUND') }),
      await send('https://hooks.example.org/x', { lookup: failing('EAI_AGAIN') }),
      await send('https://hooks.example.org/x', { lookup: () => new Promise(() => {}), timeoutMs: 100 }),
    ];
    expect(COULD_NOT_CONNECT).toBe('could not connect');
    expect(results).toEqual(results.map(() => ({ kind: 'retry', error: 'could not connect' })));
  });

  it('refuses a port other than 443 and 80 (and the stage list) before resolving the name', async () => {
    const lookup = vi.fn(async (): Promise<LookupAddress[]> => [{ address: '93.184.216.34', family: 4 }]);

    const result = await send('https://hooks.example.org:22/x', { lookup, allowLocalhost: false });

    expect(result).toEqual({ kind: 'retry', error: 'its port must be one of 443, 80' });
    expect(lookup).not.toHaveBeenCalled();
    const listed = await send('https://hooks.example.org:8443/x', {
      lookup: async () => [{ address: '10.0.0.1', family: 4 }],
      allowLocalhost: false,
      allowedPorts: [8443],
    });
    // Past the port check (the stage lists 8443), the address policy still applies.
    expect(listed).toEqual({
      kind: 'retry',
      error: 'its host name resolves to a private, loopback or reserved address',
    });
  });

  it('refuses a local URL before connecting when localhost is not allowed', async () => {
    const server = await startServer((res) => res.writeHead(200).end());

    const result = await send(server.url, { allowLocalhost: false });

    expect(result).toEqual({ kind: 'retry', error: 'it must use https' });
    expect(server.received).toHaveLength(0);
  });

  it('resolves host names through the injected lookup and connects to the address it returns', async () => {
    const server = await startServer((res) => res.writeHead(200).end());
    const lookup = vi.fn(async (): Promise<LookupAddress[]> => [{ address: '127.0.0.1', family: 4 }]);

    await expect(send(`http://localhost:${server.port}/hook`, { lookup })).resolves.toEqual({
      kind: 'delivered',
      status: 200,
    });
    expect(lookup).toHaveBeenCalledWith('localhost', { all: true });
    expect(server.received).toHaveLength(1);
  });

  it('refuses at connect time a public-looking name that resolves to the metadata address', async () => {
    const lookup = vi.fn(async (): Promise<LookupAddress[]> => [{ address: '169.254.169.254', family: 4 }]);

    const result = await send('https://hooks.example.org/livelihood', { lookup });

    expect(result).toEqual({
      kind: 'retry',
      error: 'its host name resolves to a private, loopback or reserved address',
    });
    // The socket asked for the address: the refusal is of the address it would have connected to.
    expect(lookup).toHaveBeenCalledWith('hooks.example.org', { all: true });
  });

  it('refuses at connect time when a name rebinds from a loopback to a private address', async () => {
    const server = await startServer((res) => res.writeHead(200).end());
    const answers: LookupAddress[][] = [
      [{ address: '127.0.0.1', family: 4 }],
      [{ address: '10.0.0.7', family: 4 }],
    ];
    const lookup = vi.fn(async () => answers.shift() ?? []);
    const url = `http://localhost:${server.port}/hook`;

    await expect(send(url, { lookup })).resolves.toEqual({ kind: 'delivered', status: 200 });
    await expect(send(url, { lookup })).resolves.toMatchObject({
      kind: 'retry',
      error: expect.stringMatching(/private/),
    });
    expect(server.received).toHaveLength(1);
  });

  it('says briefly when a host name does not resolve', async () => {
    const lookup = async (): Promise<LookupAddress[]> => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND hooks.example.org'), { code: 'ENOTFOUND' });
    };
    await expect(send('https://hooks.example.org/x', { lookup })).resolves.toEqual({
      kind: 'retry',
      error: COULD_NOT_CONNECT,
    });
  });
});
