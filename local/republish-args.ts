/**
 * The arguments of `npm run republish`, checked before anything is read or sent: a wrong
 * window or a half-named stage must fail with a message, not republish the wrong events.
 */
import { parseArgs } from 'node:util';

export const REPUBLISH_USAGE =
  'Usage: npm run republish -- --from <ISO 8601> --to <ISO 8601> [--table <name> --bus <name>] [--dry-run]\n' +
  '  --from, --to   the window, --from included, --to excluded: 2024-06-30 (midnight UTC) or\n' +
  '                 2024-06-30T08:00:00Z / 2024-06-30T16:00:00+08:00 (a time needs its offset)\n' +
  '  --table, --bus a deployed stage (default AWS credentials and region); without them, the\n' +
  '                 local runtime (`npm start`) using TRACKER_DATA_DIR (default .local/)\n' +
  '  --dry-run      count the events of the window, publish nothing';

export type RepublishTarget = { kind: 'local' } | { kind: 'stage'; table: string; bus: string };

export interface RepublishArgs {
  from: Date;
  to: Date;
  dryRun: boolean;
  target: RepublishTarget;
}

/** Arguments that cannot be run: the message says which and why. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** A date or an instant with its offset: a time without one would depend on this machine's zone. */
const instant = (value: string | undefined, name: string): Date => {
  if (value === undefined) throw new UsageError(`--${name} is required`);
  const match = ISO_INSTANT.exec(value);
  const time = Date.parse(value);
  const [year, month, day] = [Number(match?.[1]), Number(match?.[2]), Number(match?.[3])];
  const dayExists = new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day && month <= 12;
  if (!match || Number.isNaN(time) || !dayExists) {
    throw new UsageError(
      `--${name} must be an ISO 8601 date or instant with an offset (2024-06-30, 2024-06-30T08:00:00Z), not "${value}"`,
    );
  }
  return new Date(time);
};

const nonEmpty = (value: string | undefined, name: string): string | undefined => {
  if (value !== undefined && value.trim() === '') throw new UsageError(`--${name} must not be empty`);
  return value;
};

export const parseRepublishArgs = (argv: readonly string[]): RepublishArgs => {
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(argv));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const from = instant(values.from, 'from');
  const to = instant(values.to, 'to');
  if (from.getTime() >= to.getTime()) {
    throw new UsageError(`--from (${from.toISOString()}) must be before --to (${to.toISOString()})`);
  }
  const table = nonEmpty(values.table, 'table');
  const bus = nonEmpty(values.bus, 'bus');
  if ((table === undefined) !== (bus === undefined)) {
    throw new UsageError(
      table === undefined
        ? '--bus names a deployed stage: give its --table too'
        : "--table names a deployed stage: give its --bus too (the stage's event bus name)",
    );
  }
  return {
    from,
    to,
    dryRun: values['dry-run'] === true,
    target: table !== undefined && bus !== undefined ? { kind: 'stage', table, bus } : { kind: 'local' },
  };
};

const parse = (argv: readonly string[]) =>
  parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      table: { type: 'string' },
      bus: { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
  });
