/**
 * The local runtime end to end, as a developer uses it: `npm start` in one process, tokens from
 * `npm run token`, plain HTTP in between. The steps build on each other and run in order.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.js';
import { PROJECT_ROOT } from '../../local/paths.js';
import {
  type RuntimeProcess,
  spawnRuntime,
  stopRuntime,
  tokenFor as tokenFromCli,
} from '../support/runtime-process.js';

const run = promisify(execFile);

let dataDir: string;
let apiPort: number;
let dynamoPort: number;
let runtime: RuntimeProcess | undefined;

const childEnv = () => ({
  TRACKER_DATA_DIR: dataDir,
  DYNAMODB_PORT: String(dynamoPort),
  TRACKER_TABLE_NAME: '',
});

const startRuntime = () => spawnRuntime(childEnv(), apiPort);
const tokenFor = (role: string) => tokenFromCli(role, dataDir);

const isPortClosed = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

const postMilestone = (token: string | null, body: unknown, key: string) =>
  fetch(`${runtime?.url}/projects/rail-2024/milestones`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': key,
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  });

interface ProjectBody {
  project: { id: string };
  progress: { provinces: { province: string; value: number }[] };
}

const provinceValue = async (province: string): Promise<number | undefined> => {
  const response = await fetch(`${runtime?.url}/projects/rail-2024`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as ProjectBody;
  return body.progress.provinces.find((entry) => entry.province === province)?.value;
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tracker-e2e-'));
  apiPort = await freePort();
  dynamoPort = await freePort();
  runtime = await startRuntime();
}, 120_000);

afterAll(async () => {
  if (runtime) await stopRuntime(runtime);
  await rm(dataDir, { recursive: true, force: true });
}, 60_000);

describe('npm start', () => {
  it('serves the seeded 2024 catalogue without a token', async () => {
    const response = await fetch(`${runtime?.url}/projects?year=2024`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { projects: ProjectBody[] };
    expect(body.projects.map((entry) => entry.project.id).sort()).toEqual([
      'elderly-care-2024',
      'ev-charging-2024',
      'medical-insurance-2024',
      'rail-2024',
      'virtual-windows-2024',
    ]);
    expect(runtime?.output()).toContain('seeded  rail-2024');
  });

  it('refuses an unknown role on the token CLI with usage and exit code 2', async () => {
    const failure = await run(process.execPath, ['--import', 'tsx', 'local/token.ts', 'hubei'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...childEnv() },
    }).then(
      () => null,
      (error: { code?: number; stdout?: string; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stdout).toBe('');
    expect(failure?.stderr).toMatch(/shanghai, jiangsu, zhejiang, anhui, coordinator/);
  });

  it('records a Jiangsu milestone posted with a Jiangsu token from the CLI', async () => {
    const token = await tokenFor('jiangsu');
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

    const response = await postMilestone(token, { value: 210, asOf: '2024-06-30' }, 'e2e-jiangsu-1');
    expect(response.status, await response.clone().text()).toBe(201);
    expect(await provinceValue('jiangsu')).toBe(210);
  });

  it('refuses a Jiangsu token reporting for Zhejiang with 403', async () => {
    const token = await tokenFor('jiangsu');
    const response = await postMilestone(
      token,
      { province: 'zhejiang', value: 100, asOf: '2024-06-30' },
      'e2e-jiangsu-for-zhejiang',
    );
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 403 });
    expect(await provinceValue('zhejiang')).toBe(0);
  });

  it('refuses a write without a token with 401', async () => {
    const response = await postMilestone(null, { value: 300, asOf: '2024-07-31' }, 'e2e-anonymous');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.json()).toMatchObject({ type: 'urn:livelihood-tracker:problem:unauthenticated' });
  });

  it('stops on SIGTERM with exit code 0 and takes DynamoDB Local with it', async () => {
    const stopped = runtime as RuntimeProcess;
    expect(await isPortClosed(dynamoPort)).toBe(false);
    expect(await stopRuntime(stopped)).toBe(0);
    expect(await isPortClosed(dynamoPort)).toBe(true);
    expect(await isPortClosed(apiPort)).toBe(true);
  }, 60_000);

  it('keeps the data across a restart on the same data directory', async () => {
    runtime = await startRuntime();
    expect(runtime.output()).toContain('kept    rail-2024');
    expect(await provinceValue('jiangsu')).toBe(210);
  }, 120_000);
});
