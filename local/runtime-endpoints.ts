/**
 * What a running local runtime tells the tools beside it (`npm run republish`): where its
 * DynamoDB Local and its event bus listen, and their names. Both ports are picked at start, so
 * the runtime writes them to `runtime.json` in its data dir and removes the file when it stops.
 * A file left by a crash names ports nobody answers on: the tool says so.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileDurably } from './shared/durable-file.js';

export interface RuntimeEndpoints {
  tableName: string;
  dynamoEndpoint: string;
  busName: string;
  busEndpoint: string;
}

export const RUNTIME_ENDPOINTS_FILE = 'runtime.json';

const fileIn = (dataDir: string) => join(dataDir, RUNTIME_ENDPOINTS_FILE);

export const writeRuntimeEndpoints = (dataDir: string, endpoints: RuntimeEndpoints): void =>
  writeFileDurably(fileIn(dataDir), `${JSON.stringify(endpoints, null, 2)}\n`);

export const removeRuntimeEndpoints = (dataDir: string): void => rmSync(fileIn(dataDir), { force: true });

/** The endpoints of the runtime using `dataDir`; null when none has started there (or it stopped). */
export const readRuntimeEndpoints = (dataDir: string): RuntimeEndpoints | null => {
  let text: string;
  try {
    text = readFileSync(fileIn(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const value = JSON.parse(text) as Partial<RuntimeEndpoints>;
  const { tableName, dynamoEndpoint, busName, busEndpoint } = value;
  if (!tableName || !dynamoEndpoint || !busName || !busEndpoint) {
    throw new Error(`${fileIn(dataDir)} does not name the runtime's table, bus and endpoints`);
  }
  return { tableName, dynamoEndpoint, busName, busEndpoint };
};
