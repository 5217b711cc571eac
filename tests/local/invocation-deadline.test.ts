/**
 * The local server runs every invocation in one process, as AWS never does: each must still
 * keep its own deadline and abort signal, as each Lambda invocation has its own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { httpHandler } from '../../functions/http/middleware.js';
import { jsonResponse } from '../../functions/http/responses.js';
import type { RouteDefinition } from '../../functions/http/routes.js';
import { type LocalAuth, loadLocalAuth } from '../../local/local-auth.js';
import { createLocalServer, type LambdaHandler } from '../../local/server.js';

const route = (id: string): RouteDefinition => ({
  id,
  method: 'GET',
  path: `/${id}`,
  handler: id,
  access: 'public',
  tableAccess: 'none',
  summary: '',
});

/** A promise the test settles itself. */
const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
};

let dataDir: string;
let auth: LocalAuth;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tracker-deadline-'));
  auth = await loadLocalAuth(dataDir);
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** A server for one route whose functions time out after `functionTimeoutMs`. */
const serve = (id: string, handler: LambdaHandler, functionTimeoutMs: number) =>
  createLocalServer({
    routes: [route(id)],
    loadHandler: async () => handler,
    verify: auth.verifyToken,
    quiet: true,
    functionTimeoutMs,
  });

describe('invocations running at once in the local runtime', () => {
  it('times one out with a 503 while another, still in flight, goes on and succeeds', async () => {
    // The timed-out invocation's 503 is logged as a warning; the test says what it checks.
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const slowAborted = gate();
    const inFlightEntered = gate();
    const release = gate();
    const slow = httpHandler(async ({ signal }) => {
      signal.addEventListener('abort', () => slowAborted.open());
      await release.opened;
      return jsonResponse(200, {});
    });
    const inFlight = httpHandler(async ({ signal }) => {
      inFlightEntered.open();
      await release.opened;
      // What the milestone recorder checks before each attempt.
      return jsonResponse(200, { aborted: signal.aborted });
    });
    // Two functions in one process, as `npm start` runs them: a short timeout and a long one.
    const short = await serve('slow', slow as LambdaHandler, 50);
    const long = await serve('in-flight', inFlight as LambdaHandler, 60_000);
    try {
      const inFlightResponse = fetch(`${long.url}/in-flight`);
      await inFlightEntered.opened;

      const timedOut = await fetch(`${short.url}/slow`);
      expect(timedOut.status).toBe(503);
      expect(timedOut.headers.get('retry-after')).toBe('1');
      expect(await timedOut.json()).toMatchObject({
        type: 'urn:livelihood-tracker:problem:service-unavailable',
      });
      // The slow invocation's own signal told it to stop…
      await slowAborted.opened;

      // …and the other invocation's did not.
      release.open();
      const succeeded = await inFlightResponse;
      expect(succeeded.status).toBe(200);
      expect(await succeeded.json()).toEqual({ aborted: false });
    } finally {
      release.open();
      vi.restoreAllMocks();
      await short.close();
      await long.close();
    }
  });
});
