/**
 * Every compiled validator module, as it is to be committed (formatted as the project formats its
 * code): what `npm run validators` writes and what the contract test compares the committed files with.
 */
import { execFileSync } from 'node:child_process';
import { compileModule } from './compile-module.js';
import { loadFunctionRegistry } from './function-registry.js';
import { VALIDATOR_SOURCES } from './sources.js';

const formatted = (root: string, path: string, text: string): string =>
  execFileSync('npx', ['biome', 'check', '--write', `--stdin-file-path=${path}`], {
    cwd: root,
    input: text,
    encoding: 'utf8',
  });

export const generateValidators = async (root: string): Promise<Map<string, string>> => {
  const registry = await loadFunctionRegistry(root);
  const files = new Map<string, string>();
  for (const source of VALIDATOR_SOURCES) {
    files.set(source.output, formatted(root, source.output, await compileModule(root, source, registry)));
  }
  return files;
};
