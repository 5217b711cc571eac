import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction } from '../../bench/bundle-function.js';
import { handlerEntry, PROJECT_ROOT } from '../../lib/bundling.js';
import { DEPLOYED_FUNCTIONS } from '../../lib/function-handlers.js';

/**
 * What each deployed function's bundle is made of: the modules its source map names (esbuild
 * names only the modules that put code in the bundle), relative to the repository, with every
 * dependency reduced to its package path under node_modules.
 */
const OUTDIR = mkdtempSync(join(tmpdir(), 'function-bundles-'));
const modules = new Map<string, string[]>();

beforeAll(async () => {
  await Promise.all(
    DEPLOYED_FUNCTIONS.map(async (fn) => {
      const bundle = await bundleFunction(handlerEntry(fn.handler), join(OUTDIR, fn.name));
      const { sources } = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as { sources: string[] };
      modules.set(
        fn.name,
        sources.map((source) => {
          const path = relative(PROJECT_ROOT, join(OUTDIR, fn.name, source));
          const inPackage = path.lastIndexOf('node_modules/');
          return inPackage === -1 ? path : path.slice(inPackage);
        }),
      );
    }),
  );
}, 240_000);
afterAll(() => rmSync(OUTDIR, { recursive: true, force: true }));

const functionsWith = (test: (module: string) => boolean) =>
  [...modules].filter(([, list]) => list.some(test)).map(([name]) => name);

describe('the bundle of every deployed function', () => {
  it('holds no classic zod and no locale', () => {
    expect(modules.size).toBe(DEPLOYED_FUNCTIONS.length);
    expect(
      functionsWith(
        (m) => m.startsWith('node_modules/zod/') && !m.includes('/v4/core/') && !m.includes('/v4/mini/'),
      ),
    ).toEqual([]);
  });

  it('holds zod only where a request or an event detail is validated', () => {
    expect(functionsWith((m) => m.startsWith('node_modules/zod/')).sort()).toEqual(
      [
        'createSubscription',
        'listDeliveries',
        'listMilestones',
        'listProjects',
        'publisher',
        'putProject',
        'recordMilestone',
        'replaySubscription',
      ].sort(),
    );
  });

  it('holds no response schema, example or part of the API description that builds openapi.json', () => {
    expect(functionsWith((m) => m.startsWith('functions/schemas/responses/'))).toEqual([]);
    expect(
      functionsWith((m) => m.startsWith('functions/http/spec/') && m !== 'functions/http/spec/servers.ts'),
    ).toEqual([]);
    expect(functionsWith((m) => m === 'openapi.json')).toEqual(['getOpenApi']);
  });

  it('holds the event detail schemas only in the publisher, which checks every event against them', () => {
    expect(functionsWith((m) => m === 'functions/events/detail-schemas.ts')).toEqual(['publisher']);
  });
});
