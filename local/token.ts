/**
 * Prints a bearer token for the local runtime, signed with the same key `npm start` verifies with:
 *
 *   TOKEN=$(npm run -s token -- jiangsu)
 *   curl -H "Authorization: Bearer $TOKEN" ...
 */
import { isRole, ROLES } from '../functions/domain/provinces.js';
import { loadLocalAuth } from './local-auth.js';
import { dataDirFromEnv } from './paths.js';

const usage = () =>
  [
    'Usage: npm run -s token -- <role>',
    `  role: one of ${ROLES.join(', ')}`,
    '  Prints a 12-hour bearer token for the local runtime (data dir: TRACKER_DATA_DIR or .local/).',
  ].join('\n');

const main = async (): Promise<number> => {
  const role = process.argv[2];
  if (role === '-h' || role === '--help') {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  if (!isRole(role) || process.argv.length > 3) {
    const problem =
      role === undefined
        ? 'A role is required.'
        : isRole(role)
          ? 'Give exactly one role.'
          : `Unknown role "${role}".`;
    process.stderr.write(`${problem}\n${usage()}\n`);
    return 2;
  }
  const auth = await loadLocalAuth(dataDirFromEnv());
  process.stdout.write(`${await auth.signToken(role)}\n`);
  return 0;
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
