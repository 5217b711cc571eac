import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  acceptsGzip,
  BUILT_PAGE,
  createDashboardHandler,
  type DashboardPage,
  matchesEtag,
} from '../../functions/handlers/dashboard.js';
import { httpEvent, lambdaContext } from '../support/fixtures.js';

const get = (headers: Record<string, string> = {}, page?: DashboardPage) =>
  createDashboardHandler(page)(
    httpEvent({ path: '/', headers: { accept: 'text/html', ...headers } }),
    lambdaContext(),
  );

const inline = (html: string, tag: 'script' | 'style'): string => {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html);
  if (!match?.[1]) throw new Error(`no inline ${tag}`);
  return match[1];
};
const cspHash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('GET / (the dashboard)', () => {
  it('serves the built page as UTF-8 HTML that browsers revalidate', async () => {
    const response = await get();
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      etag: `W/"${BUILT_PAGE.etag}"`,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    expect(response.body).toBe(BUILT_PAGE.html);
    expect(response.body).toMatch(/^<!doctype html>\s*<html lang="zh-CN">/);
  });

  it('is one self-contained document: no external script, stylesheet or font', () => {
    expect(BUILT_PAGE.html).not.toMatch(/<script[^>]*\bsrc=/);
    expect(BUILT_PAGE.html).not.toMatch(/<link[^>]*rel="stylesheet"/);
    const urls = new Set(BUILT_PAGE.html.match(/https?:\/\/[^\s"'`)]+/g));
    expect([...urls]).toEqual(['http://www.w3.org/2000/svg']);
  });

  it('allows exactly its own inline script and stylesheet, and requests only to its own origin', async () => {
    const csp = (await get()).headers['content-security-policy'] ?? '';
    const directives = Object.fromEntries(
      csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
    );

    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual([cspHash(inline(BUILT_PAGE.html, 'script'))]);
    expect(directives['style-src']).toEqual([cspHash(inline(BUILT_PAGE.html, 'style'))]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(csp).not.toContain('unsafe-inline');
  });

  it('answers 304 without a body when the browser already has this version', async () => {
    for (const tag of [
      `W/"${BUILT_PAGE.etag}"`,
      `"${BUILT_PAGE.etag}"`,
      `"old", W/"${BUILT_PAGE.etag}"`,
      '*',
    ]) {
      const response = await get({ 'if-none-match': tag });
      expect(response.statusCode, tag).toBe(304);
      expect(response.body).toBe('');
      expect(response.headers.etag).toBe(`W/"${BUILT_PAGE.etag}"`);
    }
    expect((await get({ 'if-none-match': '"an-older-build"' })).statusCode).toBe(200);
  });

  it('sends the page gzipped to a browser that accepts gzip', async () => {
    const response = await get({ 'accept-encoding': 'gzip, deflate, br' });
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers.vary).toBe('accept-encoding');
    expect(response.isBase64Encoded).toBe(true);
    const html = gunzipSync(Buffer.from(response.body, 'base64')).toString('utf8');
    expect(html).toBe(BUILT_PAGE.html);
    expect(response.body.length).toBeLessThan(BUILT_PAGE.html.length);
  });

  it('serves a page given to it, with that page’s hashes', async () => {
    const page = {
      html: '<!doctype html><title>x</title>',
      etag: 'abc',
      scriptHash: "'sha256-s'",
      styleHash: "'sha256-t'",
    };
    const response = await get({}, page);
    expect(response.body).toBe(page.html);
    expect(response.headers['content-security-policy']).toContain(
      "script-src 'sha256-s'; style-src 'sha256-t'",
    );
  });
});

describe('matchesEtag', () => {
  it('compares weakly and ignores absent or different tags', () => {
    expect(matchesEtag(undefined, 'abc')).toBe(false);
    expect(matchesEtag('"abcd"', 'abc')).toBe(false);
    expect(matchesEtag('W/"abc"', 'abc')).toBe(true);
  });
});

describe('acceptsGzip', () => {
  it('takes gzip or any coding unless refused with q=0', () => {
    expect(acceptsGzip('gzip')).toBe(true);
    expect(acceptsGzip('br;q=1.0, gzip;q=0.8')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('br')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});
