import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeLoads, runLoad, throughput } from '../../../bench/load-generator.js';

/**
 * A tiny server whose paths answer as their name says: 200 with a body, a 404, a body cut short,
 * or a 200 that comes too late. It counts requests and the sockets they came on.
 */
let server: Server;
let url: string;
const sockets = new Set<Socket>();
let requests = 0;
beforeAll(async () => {
  server = createServer((request, response) => {
    requests += 1;
    sockets.add(request.socket);
    const body = '{"ok":true}';
    switch (request.url) {
      case '/ok':
        response.writeHead(200, { 'content-length': Buffer.byteLength(body) }).end(body);
        return;
      case '/missing':
        response.writeHead(404, { 'content-length': 0 }).end();
        return;
      case '/short':
        response.writeHead(200, { 'content-length': 100 });
        response.write(body, () => request.socket.destroy());
        return;
      case '/slow':
        setTimeout(() => response.writeHead(200, { 'content-length': 2 }).end('{}'), 300);
        return;
      default:
        response.writeHead(500).end();
    }
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((closed) => server.close(closed));
});

describe('runLoad', () => {
  it('counts every 200 with its whole body, on no more sockets than connections', async () => {
    requests = 0;
    sockets.clear();
    const result = await runLoad({ url, paths: ['/ok'], connections: 4, durationMs: 300 });
    expect(result.errors).toEqual({});
    expect(result.completed).toBeGreaterThan(10);
    // Every request it sent was counted, but for the last of each connection if it ended too late.
    expect(requests - result.completed).toBeGreaterThanOrEqual(0);
    expect(requests - result.completed).toBeLessThanOrEqual(4);
    expect(result.latenciesMs).toHaveLength(result.completed);
    expect(sockets.size).toBeLessThanOrEqual(4);
    expect(result.elapsedMs).toBeCloseTo(300, 0);
  });

  it('counts any other answer as an error, by kind, and never as completed', async () => {
    const result = await runLoad({
      url,
      paths: ['/ok', '/missing', '/short'],
      connections: 3,
      durationMs: 300,
    });
    expect(result.completed).toBeGreaterThan(0);
    expect(result.errors['status 404']).toBeGreaterThan(0);
    // A body cut short: the connection drops before the declared length arrives.
    const cut = Object.entries(result.errors).filter(([kind]) => kind !== 'status 404');
    expect(cut.length).toBeGreaterThan(0);
    for (const [kind] of cut) expect(kind).toMatch(/^(error |incomplete body)/);
    const errors = Object.values(result.errors).reduce((sum, n) => sum + n, 0);
    // Each connection starts at its own path and walks the list: about a third of the answers are 200s.
    expect(result.completed).toBeLessThan(errors);
  });

  it('does not count an answer that arrives after the duration', async () => {
    const started = performance.now();
    const result = await runLoad({ url, paths: ['/slow'], connections: 2, durationMs: 100 });
    expect(result.completed).toBe(0);
    expect(result.errors).toEqual({});
    expect(result.latenciesMs).toEqual([]);
    // It still waits for what it sent, so that the next run starts on a quiet server.
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('needs a path', async () => {
    await expect(runLoad({ url, paths: [], connections: 1, durationMs: 10 })).rejects.toThrow(/path/);
  });
});

describe('throughput and mergeLoads', () => {
  it('is answers per second of the duration', () => {
    expect(throughput({ completed: 250, elapsedMs: 500 })).toBe(500);
    expect(throughput({ completed: 5, elapsedMs: 0 })).toBe(0);
  });

  it('adds runs up: counts, times, errors by kind and latencies', () => {
    const merged = mergeLoads([
      { completed: 10, elapsedMs: 1000, errors: { 'status 500': 1 }, latenciesMs: [1, 2] },
      {
        completed: 30,
        elapsedMs: 1000,
        errors: { 'status 500': 2, 'error ECONNRESET': 1 },
        latenciesMs: [3],
      },
    ]);
    expect(merged).toEqual({
      completed: 40,
      elapsedMs: 2000,
      errors: { 'status 500': 3, 'error ECONNRESET': 1 },
      latenciesMs: [1, 2, 3],
    });
    expect(throughput(merged)).toBe(20);
  });
});
