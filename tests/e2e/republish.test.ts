/**
 * `npm run republish` against the running local runtime: the events of a window, derived again
 * from the table, reach the bus with the ids they were first published with. A subscription made
 * since receives exactly those; the one that had them already receives nothing twice: by its
 * webhook-ids it sees each event once.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate, yearEnd } from '../../functions/domain/calendar.js';
import type { Province } from '../../functions/domain/provinces.js';
import { createDocumentClient } from '../../functions/storage/client.js';
import { EventRepository } from '../../functions/storage/event-repository.js';
import { ProjectRepository } from '../../functions/storage/project-repository.js';
import { type RuntimeEndpoints, readRuntimeEndpoints } from '../../local/runtime-endpoints.js';
import { LOCAL_CREDENTIAL, LOCAL_REGION } from '../../local/table.js';
import { WATCHDOG_ROUTE } from '../../local/watchdog-timer.js';
import { projectFixture } from '../support/fixtures.js';
import { runRepublishCli } from '../support/republish-cli.js';
import { settle } from '../support/runtime-process.js';
import { hooksOf, runtimeSession, type WebhookSink } from '../support/runtime-session.js';

const PROJECT = 'republish-check';

// The watchdog runs only when the test asks: its notice must fall inside the window.
const session = runtimeSession('republish', { WATCHDOG_INTERVAL_SECONDS: '0' });
let endpoints: RuntimeEndpoints;
let dynamo: DynamoDBClient | undefined;

const republishCli = (args: string[], env: Record<string, string> = {}) =>
  runRepublishCli(session.dataDir(), args, env);

const report = async (province: Province, value: number) => {
  const result = await session.api(
    'POST',
    `/projects/${PROJECT}/milestones`,
    province,
    { value, asOf: chinaDate(new Date()) },
    { 'idempotency-key': randomUUID() },
  );
  expect(result.status).toBe(201);
};

interface Hook {
  id: string;
  type: string;
  timestamp: string;
  data: { eventId: string; occurredAt: string };
}

const hooksReceived = (sink: WebhookSink): Hook[] => hooksOf(sink.received) as Hook[];

/** A webhook sink subscribed (by `role`) to the test project's events. */
const subscribe = async (role: Province): Promise<WebhookSink> => {
  const sink = await session.sink();
  await session.subscribe(role, sink.url, [PROJECT]);
  return sink;
};

const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);

beforeAll(() => {
  const stored = readRuntimeEndpoints(session.dataDir());
  if (!stored) throw new Error(`the runtime stored no endpoints in ${session.dataDir()}`);
  endpoints = stored;
  dynamo = new DynamoDBClient({
    endpoint: endpoints.dynamoEndpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: LOCAL_CREDENTIAL, secretAccessKey: LOCAL_CREDENTIAL },
  });
});

afterAll(() => {
  dynamo?.destroy();
});

describe('npm run republish on the local runtime', () => {
  let windowFrom: Date;
  let windowTo: Date;
  let early: WebhookSink;
  let original: Hook[] = [];
  const inWindow = () =>
    original.filter(
      (hook) => hook.timestamp >= windowFrom.toISOString() && hook.timestamp < windowTo.toISOString(),
    );
  const windowArgs = () => ['--from', windowFrom.toISOString(), '--to', windowTo.toISOString()];

  it('records reports and a watchdog run before, inside and after a window, each event delivered once', async () => {
    const db = createDocumentClient(dynamo);
    const now = new Date();
    const year = Number(chinaDate(now).slice(0, 4));
    // Target 200, running since 40 days, a report due every 7: an office that never reported is overdue.
    await new ProjectRepository({ db, tableName: endpoints.tableName }).create({
      ...projectFixture('virtual-windows-2024'),
      id: PROJECT,
      year,
      startDate: chinaDate(new Date(now.getTime() - 40 * 24 * 60 * 60 * 1000)),
      deadline: yearEnd(year),
      reportingIntervalDays: 7,
    });
    early = await subscribe('jiangsu');

    await report('jiangsu', 20); // 10 %
    await settle(session.runtime());
    windowFrom = new Date();
    await report('shanghai', 40); // 30 %: 25 % reached
    await report('zhejiang', 50); // 55 %: 50 % reached
    const watchdog = await fetch(`${session.runtime()?.url}${WATCHDOG_ROUTE}`, { method: 'POST' });
    expect(watchdog.status).toBe(200);
    await settle(session.runtime());
    windowTo = new Date();
    await report('anhui', 60); // 85 %: 75 % reached
    await settle(session.runtime());

    original = hooksReceived(early);
    const types = original.map((hook) => hook.type);
    expect(types.filter((type) => type === 'MilestoneRecorded')).toHaveLength(4);
    expect(types.filter((type) => type === 'ProgressThresholdReached')).toHaveLength(3);
    // Anhui had not reported when the watchdog ran (Jiangsu, Shanghai and Zhejiang had, today).
    expect(original.filter((hook) => hook.type === 'ReportOverdue')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ province: 'anhui' }) }),
    ]);
    expect(new Set(original.map((hook) => hook.id)).size).toBe(original.length);
    // Two reports, the two thresholds they reached, the overdue notice.
    expect(
      inWindow()
        .map((hook) => hook.type)
        .sort(),
    ).toEqual([
      'MilestoneRecorded',
      'MilestoneRecorded',
      'ProgressThresholdReached',
      'ProgressThresholdReached',
      'ReportOverdue',
    ]);
  }, 120_000);

  it('counts without publishing on a dry run', async () => {
    const fresh = await subscribe('zhejiang');
    const run = await republishCli([...windowArgs(), '--dry-run']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^Dry run/);
    expect(run.stdout).toMatch(/total\s+5 of 5 found/);
    await settle(session.runtime());
    expect(fresh.received).toEqual([]);
  }, 60_000);

  it('reaches a stage named by --table and --bus, and exits 1 listing the ids the bus refused', async () => {
    const fresh = await subscribe('anhui');
    const run = await republishCli(
      [...windowArgs(), '--table', endpoints.tableName, '--bus', 'no-such-bus'],
      // The default credential chain and endpoint settings, pointed at the local runtime.
      {
        AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoEndpoint,
        AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.busEndpoint,
        AWS_REGION: LOCAL_REGION,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIAL,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIAL,
      },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/total\s+0 of 5 found/);
    expect(run.stderr).toContain('5 events could not be published');
    const listed = [...run.stderr.matchAll(/^ {2}(\S+) {2}\w+ {2}ResourceNotFoundException/gm)].map(
      (match) => match[1],
    );
    expect(listed.sort()).toEqual(
      inWindow()
        .map((hook) => hook.id)
        .sort(),
    );
    await settle(session.runtime());
    expect(fresh.received).toEqual([]);
  }, 60_000);

  it('puts exactly the window’s events back on the bus, with their original ids and content', async () => {
    const late = await subscribe('shanghai');
    const logged = new EventRepository({ db: createDocumentClient(dynamo), tableName: endpoints.tableName });
    const loggedBefore = await logged.eventsBetween(windowFrom, windowTo);
    early.received.splice(0);

    const run = await republishCli(windowArgs());
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/MilestoneRecorded\s+2\n/);
    expect(run.stdout).toMatch(/ProgressThresholdReached\s+2\n/);
    expect(run.stdout).toMatch(/ReportOverdue\s+1\n/);
    expect(run.stdout).toMatch(/MilestoneCorrected\s+0\n/);
    await settle(session.runtime());

    // The subscription made since sees what the bus got: the window's events, as first published.
    const shape = ({ id, type, data }: Hook) => ({ id, type, data });
    expect(hooksReceived(late).map(shape).sort(byId)).toEqual(inWindow().map(shape).sort(byId));
    // The early subscriber, deduplicating by webhook-id, has still seen every event once.
    const seen = new Set([...original, ...hooksReceived(early)].map((hook) => hook.id));
    expect([...seen].sort()).toEqual(original.map((hook) => hook.id).sort());
    // The replay log holds the same entries, none twice.
    const loggedAfter = await logged.eventsBetween(windowFrom, windowTo);
    expect(loggedAfter.map((event) => event.detail.eventId).sort()).toEqual(
      loggedBefore.map((event) => event.detail.eventId).sort(),
    );
  }, 120_000);
});
