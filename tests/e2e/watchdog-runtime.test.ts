/**
 * The watchdog inside the local runtime, in process: `settle()` waits for a run under way, and
 * everything it noticed is published by then.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate, yearEnd } from '../../functions/domain/calendar.js';
import { createDocumentClient } from '../../functions/storage/client.js';
import { EventRepository } from '../../functions/storage/event-repository.js';
import { ProjectRepository } from '../../functions/storage/project-repository.js';
import { freePort } from '../../local/dynamodb-local.js';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.js';
import { projectFixture } from '../support/fixtures.js';

let dataDir: string;
let runtime: LocalRuntime | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tracker-watchdog-runtime-'));
  runtime = await startLocalRuntime({
    dataDir,
    port: await freePort(),
    host: '127.0.0.1',
    tableName: 'watchdog-runtime',
    timeScale: 0.0001,
    watchdogIntervalSeconds: 0,
    quiet: true,
    log: () => undefined,
  });
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
  await rm(dataDir, { recursive: true, force: true });
}, 60_000);

describe('the local runtime', () => {
  it('runs the watchdog only by hand when its interval is 0', () => {
    expect(runtime?.nextWatchdogRun()).toBeNull();
  });

  it('settles once a watchdog run under way has written and published what it noticed', async () => {
    if (!runtime) throw new Error('the runtime did not start');
    const db = createDocumentClient();
    const options = { db, tableName: runtime.tableName };
    const now = new Date();
    const year = Number(chinaDate(now).slice(0, 4));
    await new ProjectRepository(options).create({
      ...projectFixture('elderly-care-2024'),
      id: 'settle-check',
      year,
      startDate: chinaDate(new Date(now.getTime() - 40 * 24 * 60 * 60 * 1000)),
      deadline: yearEnd(year),
      reportingIntervalDays: 7,
    });

    const since = new Date();
    const run = runtime.runWatchdog();
    await runtime.settle();

    const published = (await new EventRepository(options).eventsBetween(since, new Date())).filter(
      (event) => event.detail.projectId === 'settle-check',
    );
    expect(published.map((event) => event.detailType)).toEqual(Array(4).fill('ReportOverdue'));
    expect(await run).toEqual({ projectsChecked: expect.any(Number), noticesWritten: 4 });
    expect(await runtime.runWatchdog()).toMatchObject({ noticesWritten: 0 });
  }, 60_000);
});
