/**
 * `npm run republish` refuses arguments it cannot run, before reading or sending anything: a
 * clear message, the usage, exit code 2.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRepublishArgs, UsageError } from '../../local/republish-args.js';
import { runRepublishCli } from '../support/republish-cli.js';

describe('parseRepublishArgs', () => {
  it('reads a window, a stage and a dry run', () => {
    expect(
      parseRepublishArgs([
        '--from',
        '2024-06-30T16:00:00+08:00',
        '--to',
        '2024-07-01',
        '--table',
        'tracker-prod',
        '--bus',
        'tracker-prod-events',
        '--dry-run',
      ]),
    ).toEqual({
      from: new Date('2024-06-30T08:00:00.000Z'),
      to: new Date('2024-07-01T00:00:00.000Z'),
      dryRun: true,
      target: { kind: 'stage', table: 'tracker-prod', bus: 'tracker-prod-events' },
    });
  });

  it('targets the local runtime when no stage is named', () => {
    expect(parseRepublishArgs(['--from', '2024-06-30', '--to', '2024-07-01T00:00:00.000Z'])).toMatchObject({
      dryRun: false,
      target: { kind: 'local' },
    });
  });

  it.each([
    [['--to', '2024-07-01'], '--from is required'],
    [['--from', '2024-06-30'], '--to is required'],
    [['--from', 'yesterday', '--to', '2024-07-01'], '--from must be an ISO 8601 date or instant'],
    [['--from', '2024-02-30', '--to', '2024-07-01'], '--from must be an ISO 8601 date or instant'],
    [['--from', '2024-13-01', '--to', '2025-07-01'], '--from must be an ISO 8601 date or instant'],
    // Without an offset the instant would depend on the machine's time zone.
    [['--from', '2024-06-30T08:00:00', '--to', '2024-07-01'], '--from must be an ISO 8601 date or instant'],
    [['--from', '2024-06-30', '--to', '2024-06-31'], '--to must be an ISO 8601 date or instant'],
    [['--from', '2024-07-01', '--to', '2024-06-30'], '--from (2024-07-01T00:00:00.000Z) must be before --to'],
    [['--from', '2024-07-01', '--to', '2024-07-01'], 'must be before --to'],
    [
      ['--from', '2024-06-30', '--to', '2024-07-01', '--table', 't'],
      '--table names a deployed stage: give its --bus too',
    ],
    [
      ['--from', '2024-06-30', '--to', '2024-07-01', '--bus', 'b'],
      '--bus names a deployed stage: give its --table too',
    ],
    [
      ['--from', '2024-06-30', '--to', '2024-07-01', '--table', ' ', '--bus', 'b'],
      '--table must not be empty',
    ],
    [['--from', '2024-06-30', '--to', '2024-07-01', '--since', '2024-01-01'], "Unknown option '--since'"],
    [['--from', '2024-06-30', '--to', '2024-07-01', 'extra'], 'extra'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseRepublishArgs(argv)).toThrow(UsageError);
    expect(() => parseRepublishArgs(argv)).toThrow(message);
  });
});

describe('npm run republish with arguments it cannot run', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tracker-republish-args-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const cli = (args: string[]) => runRepublishCli(dataDir, args);

  it('exits 2 with the reason and the usage for a bad date', async () => {
    const run = await cli(['--from', '2024-06-31', '--to', '2024-07-01']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--from must be an ISO 8601 date or instant with an offset');
    expect(run.stderr).toContain('Usage: npm run republish -- --from');
  }, 60_000);

  it('exits 2 when a table is named without its bus', async () => {
    const run = await cli(['--from', '2024-06-30', '--to', '2024-07-01', '--table', 'tracker-prod']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--table names a deployed stage: give its --bus too');
  }, 60_000);

  it('exits 2 naming `npm start` when no local runtime has stored its endpoints', async () => {
    const run = await cli(['--from', '2024-06-30', '--to', '2024-07-01']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`No local runtime has its endpoints in ${dataDir}/runtime.json`);
    expect(run.stderr).toContain('npm start');
  }, 60_000);
});
