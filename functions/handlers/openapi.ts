import { createHash } from 'node:crypto';
import committedDocument from '../../openapi.json' with { type: 'json' };
import { httpHandler } from '../http/middleware.js';
import { JSON_CONTENT_TYPE } from '../http/responses.js';
import { serversEntry } from '../http/spec/servers.js';

/** The servers entry of the served document: relative, so it names whichever API served it. */
export const SERVED_SERVER_URL = '/';
/** The document changes only with a deploy: caches may keep it a few minutes, then revalidate. */
export const OPENAPI_CACHE_CONTROL = 'public, max-age=300';

const etagMatches = (ifNoneMatch: string | undefined, etag: string): boolean =>
  ifNoneMatch?.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  }) ?? false;

/**
 * GET /openapi.json: the API description, `304` for a current copy. It is the committed
 * openapi.json, generated at build time from the schemas (a contract test fails when it differs
 * from what they give), with the server that serves it: building it from the schemas at cold
 * start would bundle all of them and spend the time on every new execution environment.
 */
export const createOpenApiHandler = () => {
  let served: { body: string; etag: string } | undefined;
  return httpHandler(async ({ event }) => {
    if (served === undefined) {
      const body = JSON.stringify({ ...committedDocument, servers: serversEntry(SERVED_SERVER_URL) });
      served = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
    }
    const headers = { etag: served.etag, 'cache-control': OPENAPI_CACHE_CONTROL };
    if (etagMatches(event.headers['if-none-match'], served.etag)) {
      return { statusCode: 304, headers, body: '' };
    }
    return { statusCode: 200, headers: { 'content-type': JSON_CONTENT_TYPE, ...headers }, body: served.body };
  });
};

export const handler = createOpenApiHandler();
