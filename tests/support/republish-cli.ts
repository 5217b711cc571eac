import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../local/paths.js';

const execute = promisify(execFile);

/**
 * `npm run republish -- <args>` without the npm wrapper, with TRACKER_DATA_DIR set to `dataDir`:
 * its exit code and output, whatever the code.
 */
export const runRepublishCli = async (
  dataDir: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> => {
  try {
    const { stdout, stderr } = await execute(
      process.execPath,
      ['--import', 'tsx', 'local/republish-cli.ts', ...args],
      { cwd: PROJECT_ROOT, env: { ...process.env, TRACKER_DATA_DIR: dataDir, ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
};
