/**
 * The functions compiled validators may call, by identity: every function exported by the check
 * function modules, with the module and name to import it by. A schema that calls any other
 * function (an inline arrow, a closure) cannot be compiled, and says so.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHECK_FUNCTION_MODULES } from './sources.js';

export interface NamedFunction {
  module: string;
  name: string;
}

export type FunctionRegistry = ReadonlyMap<unknown, NamedFunction>;

export const loadFunctionRegistry = async (root: string): Promise<FunctionRegistry> => {
  const registry = new Map<unknown, NamedFunction>();
  for (const module of CHECK_FUNCTION_MODULES) {
    const exports = (await import(pathToFileURL(resolve(root, module)).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value === 'function' && !registry.has(value)) registry.set(value, { module, name });
    }
  }
  return registry;
};
