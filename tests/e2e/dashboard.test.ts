/**
 * The dashboard in a real browser (Debian's Chromium driven by playwright-core) against the
 * whole local runtime: the page the API serves at `/`, reading the API as any client would.
 * The steps build on each other and run in order.
 */

import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.js';
import { loadLocalAuth } from '../../local/local-auth.js';
import { PROJECT_ROOT } from '../../local/paths.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';

/**
 * The browser globals the callbacks run in the page use. The tests are type-checked without the
 * DOM library, and a callback is sent to the page as source, so it can only cast `globalThis`.
 */
interface PageGlobals {
  document: {
    activeElement: { getAttribute(name: string): string | null } | null;
    documentElement: { scrollWidth: number };
  };
  innerWidth: number;
  scrollY: number;
  scrollTo(x: number, y: number): void;
  notReloaded?: boolean;
  getComputedStyle(element: unknown): { backgroundImage: string };
}

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const ARTIFACTS = join(PROJECT_ROOT, 'test-artifacts');
/** Long enough for a few polls at `?refresh=1`. */
const SEEN_WITHIN = { timeout: 10_000 };

let dataDir: string;
let runtime: LocalRuntime | undefined;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
let token: string;
/** Console errors and uncaught exceptions (a CSP violation is one) of every page opened. */
const pageErrors: string[] = [];

const watch = (target: Page): Page => {
  target.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  target.on('pageerror', (error) => pageErrors.push(error.message));
  return target;
};

const report = async (body: Record<string, unknown>) => {
  const response = await fetch(`${runtime?.url}/projects/rail-2024/milestones`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(201);
};

const railCard = () => page.locator('article[data-project-id="rail-2024"]');

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: the dashboard test drives Debian's Chromium. Install it with ` +
        '`apt-get install -y chromium` (.ci/run does this in CI); playwright-core never downloads a browser.',
    );
  }
  // The page the runtime serves is built from web/src: build it from the sources under test.
  await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/build-web.ts'], {
    cwd: PROJECT_ROOT,
  });
  await mkdir(ARTIFACTS, { recursive: true });
  dataDir = await mkdtemp(join(tmpdir(), 'tracker-dashboard-'));
  runtime = await startLocalRuntime({
    dataDir,
    port: await freePort(),
    host: '127.0.0.1',
    tableName: 'dashboard-e2e',
    timeScale: 1,
    quiet: true,
    log: () => undefined,
  });
  token = await (await loadLocalAuth(dataDir)).signToken('jiangsu');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  page = watch(await context.newPage());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the dashboard', () => {
  it('shows the five 2024 projects in Chinese, each with its region total', async () => {
    const response = await page.goto(`${runtime?.url}/?refresh=1`);
    expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8');
    expect(response?.headers()['content-security-policy']).toContain("connect-src 'self'");

    await expect.poll(() => page.locator('article.card').count(), SEEN_WITHIN).toBe(5);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('h1').textContent()).toBe('2024年度实事项目');
    expect(await railCard().locator('h2').textContent()).toBe('建设轨道上的长三角');
    expect(await railCard().getByTestId('region-headline').textContent()).toBe('0公里');
    expect(await railCard().locator('.status').textContent()).toBe('已逾期');
    const bar = railCard().locator('.meter--region');
    expect(await bar.getAttribute('role')).toBe('progressbar');
    expect(await bar.getAttribute('aria-valuenow')).toBe('0');
    // The inline stylesheet ran under the page's CSP: the masthead has its colour.
    expect(
      await page
        .locator('.masthead')
        .evaluate((el) => (globalThis as unknown as PageGlobals).getComputedStyle(el).backgroundImage),
    ).toContain('gradient');
  });

  it('shows a new report without reloading the page or moving the reader', async () => {
    await page.evaluate(() => {
      const browser = globalThis as unknown as PageGlobals;
      browser.notReloaded = true;
      browser.scrollTo(0, 400);
    });

    await report({ value: 210, asOf: '2024-06-30', note: '沪苏湖铁路开通' });

    await expect
      .poll(() => railCard().getByTestId('region-headline').textContent(), SEEN_WITHIN)
      .toBe('210公里');
    const jiangsu = railCard().locator('li[data-key="jiangsu"]');
    expect(await jiangsu.textContent()).toContain('占区域合计 100%');
    expect(await jiangsu.locator('.province-last').textContent()).toContain('今天报送');
    expect(await railCard().locator('.meter--region').getAttribute('aria-valuetext')).toBe(
      '区域合计：210公里 / 660公里，31.8%',
    );
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).notReloaded)).toBe(true);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).scrollY)).toBe(400);
    expect(await page.getByTestId('updated-at').textContent()).toMatch(/更新于 .*每 1 秒自动刷新/);
    await page.evaluate(() => (globalThis as unknown as PageGlobals).scrollTo(0, 0));
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-zh.png'), fullPage: true });
  });

  it('switches to English and remembers the choice after a reload', async () => {
    await page.getByRole('button', { name: 'English' }).click();

    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('h1').textContent()).toBe('Projects of 2024');
    expect(await railCard().locator('.region-label').textContent()).toBe('Region total');
    expect(await railCard().locator('.status').textContent()).toBe('Overdue');

    await page.reload();
    await expect
      .poll(() => railCard().getByTestId('region-headline').textContent(), SEEN_WITHIN)
      .toBe('210 km');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await railCard().locator('h2').textContent()).toBe('建设轨道上的长三角');
    expect(await railCard().locator('.project-name-en').textContent()).toBe(
      'A rail-connected Yangtze River Delta',
    );
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-en.png'), fullPage: true });
  });

  it("opens a project's page with its history as a chart and its reports, corrections and backfills marked", async () => {
    await report({ value: 205.5, asOf: '2024-07-31', correctionReason: '按开通运营里程口径核减' });
    await report({ value: 120, asOf: '2024-03-31' });

    await railCard()
      .getByRole('link', { name: /View details/ })
      .click();

    expect(page.url()).toMatch(/#\/projects\/rail-2024$/);
    await expect.poll(() => page.locator('ol.reports > li').count(), SEEN_WITHIN).toBe(3);
    const reports = page.locator('ol.reports > li');
    expect(await reports.nth(0).textContent()).toContain('Correction');
    expect(await reports.nth(0).textContent()).toContain('按开通运营里程口径核减');
    expect(await reports.nth(1).textContent()).toContain('210 km');
    expect(await reports.nth(2).textContent()).toContain('Backfill');

    const chart = page.getByTestId('history-chart');
    expect(await chart.getAttribute('role')).toBe('img');
    expect(await chart.locator('title').first().textContent()).toContain('建设轨道上的长三角');
    expect(await chart.locator('[data-series="jiangsu"] path.series-line').getAttribute('d')).toMatch(/^M/);
    const rows = page.getByTestId('chart-table').locator('tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await rows.first().textContent()).toContain('205.5');
    expect(await page.getByTestId('csv-link').getAttribute('href')).toBe(
      '/projects/rail-2024/milestones?format=csv',
    );
    expect(
      await page
        .locator('h1')
        .evaluate((el) => el === (globalThis as unknown as PageGlobals).document.activeElement),
    ).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'project.png'), fullPage: true });
  });

  it('shows the problem the API reports when a request fails, and recovers', async () => {
    await page.route('**/projects/rail-2024/milestones?*', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          title: 'Service unavailable',
          detail: 'The database is busy; retry later.',
          status: 503,
        }),
      }),
    );
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent(), SEEN_WITHIN).toContain('The database is busy; retry later.');
    expect(await alert.textContent()).toContain('HTTP 503');
    expect(await page.locator('ol.reports > li').count()).toBe(3);

    await page.unroute('**/projects/rail-2024/milestones?*');
    await expect.poll(() => alert.count(), SEEN_WITHIN).toBe(0);
  });

  it('fits a 375 px phone screen without horizontal scrolling', async () => {
    const phone = watch(await context.newPage());
    await phone.setViewportSize({ width: 375, height: 812 });
    for (const path of ['/', '/#/projects/rail-2024']) {
      await phone.goto(`${runtime?.url}${path}`);
      await phone.locator('article').first().waitFor();
      await phone.locator('.loading').waitFor({ state: 'detached' });
      const overflow = await phone.evaluate(() => {
        const page = globalThis as unknown as PageGlobals;
        return page.document.documentElement.scrollWidth - page.innerWidth;
      });
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await phone.screenshot({ path: join(ARTIFACTS, 'project-phone.png'), fullPage: true });
    await phone.close();
  });

  it('lets a keyboard user reach and use the language toggle', async () => {
    const fresh = watch(await context.newPage());
    await fresh.goto(`${runtime?.url}/`);
    await fresh.locator('article.card').first().waitFor();
    let reached = false;
    for (let presses = 0; presses < 5 && !reached; presses++) {
      await fresh.keyboard.press('Tab');
      reached = await fresh.evaluate(
        () =>
          (globalThis as unknown as PageGlobals).document.activeElement?.getAttribute('data-action') ===
          'toggle-lang',
      );
    }
    expect(reached).toBe(true);

    await fresh.keyboard.press('Enter');
    expect(await fresh.locator('html').getAttribute('lang')).toBe('zh-CN');
    await fresh.close();
  });

  it('skips to the main content without leaving the project page', async () => {
    const fresh = watch(await context.newPage());
    await fresh.goto(`${runtime?.url}/#/projects/rail-2024`);
    await fresh.locator('ol.reports').waitFor();

    await fresh.keyboard.press('Tab');
    await fresh.keyboard.press('Enter');

    expect(fresh.url()).toMatch(/#\/projects\/rail-2024$/);
    expect(
      await fresh
        .locator('main')
        .evaluate((el) => el === (globalThis as unknown as PageGlobals).document.activeElement),
    ).toBe(true);
    await fresh.close();
  });

  it('raised no script error and no Content-Security-Policy violation on any page', () => {
    expect(pageErrors.filter((text) => !text.includes('503'))).toEqual([]);
  });
});
