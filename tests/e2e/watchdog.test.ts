/**
 * The watchdog end to end on the local runtime (`npm start` in its own process): triggered by
 * hand as the daily schedule would run it, its notices reach subscribers as signed webhooks
 * through the same stream → bus → queue → deliverer path as every other event, once.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { chinaDate } from '../../functions/domain/calendar.js';
import { verify } from '../../functions/webhooks/signature.js';
import { PROJECT_ROOT } from '../../local/paths.js';
import { WATCHDOG_ROUTE } from '../../local/watchdog-timer.js';
import { settle } from '../support/runtime-process.js';
import { runtimeSession } from '../support/runtime-session.js';

const run = promisify(execFile);

// The watchdog runs only by hand here: a 09:00 China-time run must not race the assertions.
const session = runtimeSession('watchdog', { WATCHDOG_INTERVAL_SECONDS: '0' });
const { api, sink, waitFor } = session;

const DAY_MS = 24 * 60 * 60 * 1000;

describe('the watchdog on the local runtime', () => {
  it('warns subscribers once about each silent province and the project turning at-risk', async () => {
    const now = new Date();
    const today = chinaDate(now);
    const year = Number(today.slice(0, 4));
    const projectId = `watch-${randomUUID().slice(0, 8)}`;

    // The coordinator lists a project of this year that started 40 days ago, reported weekly.
    const created = await api('PUT', `/projects/${projectId}`, 'coordinator', {
      year,
      name: { zh: '周报项目', en: 'A weekly-reported project' },
      target: 1000,
      startDate: chinaDate(new Date(now.getTime() - 40 * DAY_MS)),
      reportingIntervalDays: 7,
      atRiskTolerancePoints: 5,
    });
    expect(created.status).toBe(201);

    const overdueSink = await sink();
    const riskSink = await sink();
    const subscribe = async (url: string, eventTypes: string[]) => {
      const subscription = await api('POST', '/subscriptions', 'coordinator', {
        url,
        eventTypes,
        projectIds: [projectId],
        description: 'e2e watchdog',
      });
      expect(subscription.status).toBe(201);
      return subscription.json.secret as string;
    };
    const overdueSecret = await subscribe(overdueSink.url, ['ReportOverdue']);
    const riskSecret = await subscribe(riskSink.url, ['ProjectAtRisk']);

    // Jiangsu reports today (1 of 1000: far behind the line); the other three never do.
    const reported = await api(
      'POST',
      `/projects/${projectId}/milestones`,
      'jiangsu',
      { value: 1, asOf: today },
      { 'idempotency-key': randomUUID() },
    );
    expect(reported.status).toBe(201);

    const started = Date.now();
    const first = await api('POST', WATCHDOG_ROUTE, null);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ projectsChecked: expect.any(Number), noticesWritten: 4 });
    expect(first.json.projectsChecked).toBeGreaterThanOrEqual(1);

    const hooks = await waitFor(
      () => (overdueSink.received.length >= 3 && riskSink.received.length >= 1 ? true : undefined),
      60_000,
      'three ReportOverdue webhooks and one ProjectAtRisk webhook',
    );
    expect(hooks).toBe(true);
    console.info(`watchdog run → signed webhooks: ${Date.now() - started} ms`);
    await settle(session.runtime());

    const overdue = overdueSink.received.map((hook) => {
      const { id } = verify({
        secret: overdueSecret,
        headers: hook.headers as Record<string, string>,
        body: hook.body,
      });
      const payload = JSON.parse(hook.body) as { type: string; data: Record<string, unknown> };
      expect(payload.data.eventId).toBe(id);
      return payload;
    });
    expect(overdue.map((h) => h.type)).toEqual(['ReportOverdue', 'ReportOverdue', 'ReportOverdue']);
    expect(overdue.map((h) => h.data.province).sort()).toEqual(['anhui', 'shanghai', 'zhejiang']);
    for (const { data } of overdue) {
      expect(data).toMatchObject({
        projectId,
        schemaVersion: 1,
        lastReportedAt: null,
        lastAsOf: null,
        daysSinceLastReport: 40,
        reportingIntervalDays: 7,
        currentValue: 0,
      });
    }

    const [riskHook] = riskSink.received;
    const { id: riskId } = verify({
      secret: riskSecret,
      headers: riskHook?.headers as Record<string, string>,
      body: riskHook?.body ?? '',
    });
    expect(JSON.parse(riskHook?.body ?? '{}')).toMatchObject({
      type: 'ProjectAtRisk',
      data: { eventId: riskId, projectId, atRisk: true, status: 'at-risk', tolerancePoints: 5, target: 1000 },
    });

    // Again, by `npm run watchdog`: the same facts are not news.
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'local/watchdog-cli.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PORT: String(session.port()) },
    });
    expect(JSON.parse(stdout)).toEqual({ projectsChecked: first.json.projectsChecked, noticesWritten: 0 });
    await settle(session.runtime());
    expect(overdueSink.received).toHaveLength(3);
    expect(riskSink.received).toHaveLength(1);
  }, 90_000);
});
