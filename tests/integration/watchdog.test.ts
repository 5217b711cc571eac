/**
 * The watchdog on DynamoDB Local: real conditional writes decide what is written once.
 */

import { afterEach, describe, expect, it } from 'vitest';
import type { Project } from '../../functions/domain/project.js';
import type { Province } from '../../functions/domain/provinces.js';
import { createWatchdog } from '../../functions/handlers/watchdog.js';
import { createMilestoneRecorder } from '../../functions/services/record-milestone.js';
import { QueryCommand } from '../../functions/storage/document-client.js';
import { MilestoneRepository } from '../../functions/storage/milestone-repository.js';
import { NoticeRepository } from '../../functions/storage/notice-repository.js';
import { ProjectRepository } from '../../functions/storage/project-repository.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { callerFixture, projectFixture } from '../support/fixtures.js';
import { silentLogger } from '../support/log-lines.js';

/** An instant given as a wall-clock time in China (UTC+8). */
const china = (dateTime: string) => new Date(`${dateTime}+08:00`);

const tables: TestTable[] = [];
afterEach(async () => {
  await Promise.all(tables.splice(0).map((t) => t.drop()));
});

/** A fresh table, a clock the test moves, the watchdog and a way to report, as the handlers use them. */
const setUp = async () => {
  const table = await createTestTable('watchdog');
  tables.push(table);
  let clock = china('2024-01-01T09:00');
  const options = { db: table.doc, tableName: table.tableName };
  const projects = new ProjectRepository(options);
  const notices = new NoticeRepository(options);
  const watchdog = createWatchdog({ projects, notices, now: () => clock, log: silentLogger() });
  const recorder = createMilestoneRecorder({
    milestones: new MilestoneRepository(options),
    now: () => clock,
  });
  let reports = 0;
  return {
    table,
    notices,
    /** Moves the clock to a China wall-clock time. */
    at(dateTime: string) {
      clock = china(dateTime);
    },
    async create(id: string, changes: Partial<Project>) {
      await projects.create({ ...projectFixture('rail-2024'), id, ...changes });
    },
    async report(projectId: string, province: Province, value: number) {
      reports += 1;
      const result = await recorder({
        projectId,
        caller: callerFixture(province),
        report: { value, asOf: clock.toISOString().slice(0, 10) },
        idempotencyKey: `report-${reports}`,
      });
      expect(result.statusCode).toBe(201);
      return JSON.parse(result.body).milestone.id as string;
    },
    run: () => watchdog({ source: 'test' }),
    /** The notices of a project, in key order. */
    async noticesOf(projectId: string) {
      const page = await table.doc.send(
        new QueryCommand({
          TableName: table.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :notice)',
          ExpressionAttributeValues: { ':pk': `PROJECT#${projectId}`, ':notice': 'NOTICE#' },
          ConsistentRead: true,
        }),
      );
      return (page.Items ?? []) as Record<string, unknown>[];
    },
  };
};

describe('the watchdog on DynamoDB Local', () => {
  it('writes each overdue occurrence once, however often it runs', async () => {
    const w = await setUp();
    // Start 1 June, a report every 7 days; 0 % is on track so early (no at-risk notice).
    await w.create('roads-2024', { startDate: '2024-06-01', reportingIntervalDays: 7 });
    w.at('2024-06-03T10:00');
    const jiangsuReport = await w.report('roads-2024', 'jiangsu', 12);

    w.at('2024-06-08T09:00');
    expect(await w.run()).toEqual({ projectsChecked: 1, noticesWritten: 0 });

    w.at('2024-06-09T09:00');
    expect(await w.run()).toEqual({ projectsChecked: 1, noticesWritten: 3 });
    expect(await w.run()).toEqual({ projectsChecked: 1, noticesWritten: 0 });
    w.at('2024-06-10T09:00');
    expect(await w.run()).toEqual({ projectsChecked: 1, noticesWritten: 0 });

    // Jiangsu's own silence began with its report on 3 June: day 8 is 11 June.
    w.at('2024-06-11T09:00');
    expect(await w.run()).toEqual({ projectsChecked: 1, noticesWritten: 1 });
    expect(await w.run()).toEqual({ projectsChecked: 1, noticesWritten: 0 });

    const notices = await w.noticesOf('roads-2024');
    expect(notices.map((n) => n.SK)).toEqual([
      'NOTICE#OVERDUE#anhui#never',
      `NOTICE#OVERDUE#jiangsu#${jiangsuReport}`,
      'NOTICE#OVERDUE#shanghai#never',
      'NOTICE#OVERDUE#zhejiang#never',
    ]);
    expect(notices.find((n) => n.province === 'jiangsu')).toMatchObject({
      entity: 'Notice',
      kind: 'overdue',
      lastMilestoneId: jiangsuReport,
      daysSinceLastReport: 8,
      currentValue: 12,
      notedAt: china('2024-06-11T09:00').toISOString(),
    });
    expect(notices.find((n) => n.province === 'anhui')).toMatchObject({
      lastMilestoneId: null,
      daysSinceLastReport: 8,
      notedAt: china('2024-06-09T09:00').toISOString(),
    });
  });

  it('treats a new report followed by another silence as a new occurrence', async () => {
    const w = await setUp();
    await w.create('roads-2024', { startDate: '2024-06-01', reportingIntervalDays: 7 });
    for (const province of ['shanghai', 'zhejiang', 'anhui'] as const) {
      w.at('2024-06-02T10:00');
      await w.report('roads-2024', province, 1);
    }
    w.at('2024-06-02T10:00');
    const first = await w.report('roads-2024', 'jiangsu', 10);
    w.at('2024-06-10T09:00');
    expect((await w.run()).noticesWritten).toBe(4);

    // Jiangsu reports again; the others keep silent (their occurrences are already announced).
    w.at('2024-06-12T10:00');
    const second = await w.report('roads-2024', 'jiangsu', 20);
    w.at('2024-06-19T09:00');
    expect((await w.run()).noticesWritten).toBe(0);
    w.at('2024-06-20T09:00');
    expect((await w.run()).noticesWritten).toBe(1);
    w.at('2024-06-21T09:00');
    expect((await w.run()).noticesWritten).toBe(0);

    const jiangsu = (await w.noticesOf('roads-2024')).filter((n) => n.province === 'jiangsu');
    expect(jiangsu.map((n) => n.lastMilestoneId).sort()).toEqual([first, second].sort());
  });

  it('writes exactly two notices for a turn to at-risk and back, whatever runs in between', async () => {
    const w = await setUp();
    // 100 facilities in 2024, checked on 30 June (the line stands near 49.6 %); no report is overdue yet.
    await w.create('care-2024', { target: 100, reportingIntervalDays: 366 });
    w.at('2024-06-30T09:00');
    await w.report('care-2024', 'jiangsu', 10);
    expect(await w.run()).toEqual({ projectsChecked: 1, noticesWritten: 1 });
    expect(await w.run()).toEqual({ projectsChecked: 1, noticesWritten: 0 });
    w.at('2024-07-01T09:00');
    expect((await w.run()).noticesWritten).toBe(0);

    w.at('2024-07-01T10:00');
    await w.report('care-2024', 'jiangsu', 50);
    expect((await w.run()).noticesWritten).toBe(1);
    expect((await w.run()).noticesWritten).toBe(0);
    w.at('2024-07-02T09:00');
    expect((await w.run()).noticesWritten).toBe(0);

    const notices = await w.noticesOf('care-2024');
    expect(notices.map((n) => [n.SK, n.atRisk, n.status])).toEqual([
      ['NOTICE#RISK#000001', true, 'at-risk'],
      ['NOTICE#RISK#000002', false, 'on-track'],
    ]);
    expect(notices[0]).toMatchObject({
      percent: 10,
      expectedPercent: 49.59,
      tolerancePoints: 10,
      target: 100,
    });
    expect(await w.notices.getWatchState('care-2024')).toMatchObject({
      status: 'on-track',
      riskTransitions: 2,
      version: 2,
    });
  });

  it('writes each occurrence once when several runs race', async () => {
    const w = await setUp();
    await w.create('care-2024', { target: 100, startDate: '2024-03-01', reportingIntervalDays: 30 });
    await w.create('rail-2024', {});
    w.at('2024-06-30T09:00');
    const runs = await Promise.all(Array.from({ length: 6 }, () => w.run()));

    // Each project: four provinces that never reported, and a turn to at-risk.
    expect(runs.reduce((sum, run) => sum + run.noticesWritten, 0)).toBe(10);
    for (const id of ['care-2024', 'rail-2024']) {
      const notices = await w.noticesOf(id);
      expect(notices.map((n) => n.SK)).toEqual([
        'NOTICE#OVERDUE#anhui#never',
        'NOTICE#OVERDUE#jiangsu#never',
        'NOTICE#OVERDUE#shanghai#never',
        'NOTICE#OVERDUE#zhejiang#never',
        'NOTICE#RISK#000001',
      ]);
      expect(await w.notices.getWatchState(id)).toMatchObject({ status: 'at-risk', version: 1 });
    }
  });

  it("checks last year's projects too, such as one whose deadline moved into this year", async () => {
    const w = await setUp();
    await w.create('late-2024', { target: null, deadline: '2025-03-31', reportingIntervalDays: 30 });
    await w.create('done-2024', { target: null });
    await w.create('old-2023', { year: 2023, startDate: '2023-01-01', deadline: '2024-03-31', target: null });
    w.at('2025-02-10T09:00');
    expect(await w.run()).toEqual({ projectsChecked: 2, noticesWritten: 4 });
    expect(await w.noticesOf('late-2024')).toHaveLength(4);
    expect(await w.noticesOf('done-2024')).toEqual([]);
  });
});
