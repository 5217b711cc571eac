import { gzipSync } from 'node:zlib';
import {
  DASHBOARD_ETAG,
  DASHBOARD_HTML,
  DASHBOARD_SCRIPT_HASH,
  DASHBOARD_STYLE_HASH,
} from '../../web/dist/dashboard-page.js';
import { httpHandler } from '../http/middleware.js';
import type { HttpEvent } from '../http/types.js';

export interface DashboardPage {
  html: string;
  /** Opaque hash of the document. */
  etag: string;
  /** CSP sources (`'sha256-…'`) of the inline script and stylesheet. */
  scriptHash: string;
  styleHash: string;
}

export const BUILT_PAGE: DashboardPage = {
  html: DASHBOARD_HTML,
  etag: DASHBOARD_ETAG,
  scriptHash: DASHBOARD_SCRIPT_HASH,
  styleHash: DASHBOARD_STYLE_HASH,
};

/**
 * Nothing but the page's own inline script and stylesheet (by hash, computed at build time) and
 * requests to this same origin, which serves the API too.
 */
export const contentSecurityPolicy = (page: DashboardPage): string =>
  [
    "default-src 'none'",
    `script-src ${page.scriptHash}`,
    `style-src ${page.styleHash}`,
    "connect-src 'self'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

/**
 * If-None-Match with weak comparison (RFC 9110 §13.1.2): the tag is weak because the gzipped
 * and the plain body carry the same one.
 */
export const matchesEtag = (ifNoneMatch: string | undefined, etag: string): boolean => {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag.replace(/^W\//, '') === `"${etag}"`;
  });
};

/** Whether the client takes gzip (a `q=0` refuses it). */
export const acceptsGzip = (acceptEncoding: string | undefined): boolean =>
  (acceptEncoding ?? '').split(',').some((part) => {
    const [coding = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return (coding === 'gzip' || coding === '*') && (q === undefined || Number(q.slice(2)) > 0);
  });

/**
 * GET /: the dashboard, one self-contained HTML page built from web/src. Revalidated on every
 * load (`no-cache` + ETag, so an unchanged page costs a 304) and gzipped when the client takes it.
 */
export const createDashboardHandler = (page: DashboardPage = BUILT_PAGE) => {
  const etag = `W/"${page.etag}"`;
  const common: Record<string, string> = {
    'cache-control': 'no-cache',
    etag,
    vary: 'accept-encoding',
    'content-security-policy': contentSecurityPolicy(page),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
  let gzipped: string | undefined;
  return httpHandler(async ({ event }: { event: HttpEvent }) => {
    if (matchesEtag(event.headers['if-none-match'], page.etag)) {
      return { statusCode: 304, headers: common, body: '' };
    }
    const headers = { ...common, 'content-type': 'text/html; charset=utf-8' };
    if (acceptsGzip(event.headers['accept-encoding'])) {
      gzipped ??= gzipSync(page.html, { level: 9 }).toString('base64');
      return {
        statusCode: 200,
        headers: { ...headers, 'content-encoding': 'gzip' },
        body: gzipped,
        isBase64Encoded: true,
      };
    }
    return { statusCode: 200, headers, body: page.html };
  });
};

export const handler = createDashboardHandler();
