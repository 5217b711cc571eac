import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { isCalendarDate } from '../../../functions/domain/calendar.js';
import { type EmitContext, emitSchema } from '../../../scripts/validators/emit-schema.js';
import { loadFunctionRegistry } from '../../../scripts/validators/function-registry.js';
import { SharedExpressions } from '../../../scripts/validators/shared-expressions.js';

/** What the compiler makes of one schema, or the error it throws, with the schema named `here`. */
const compile = async (schema: unknown) => {
  const ctx: EmitContext = {
    registry: await loadFunctionRegistry(process.cwd()),
    imports: new Map(),
    shared: new SharedExpressions(),
  };
  const token = emitSchema(schema, ctx, 'here');
  return { expression: ctx.shared.write([token]).join('\n'), imports: ctx.imports };
};

describe('the validator compiler', () => {
  it('imports the functions a check calls from the module that exports them', async () => {
    const { expression, imports } = await compile(z.string().check(z.refine(isCalendarDate, 'no')));
    expect(expression).toContain('v.refine(isCalendarDate');
    expect(imports).toEqual(new Map([['functions/domain/calendar.ts', new Set(['isCalendarDate'])]]));
  });

  it.each([
    [
      'an inline refinement',
      z.string().check(z.refine((text) => text.length > 1)),
      /here\[check 0\] \(check custom\): the function .*not a named export/,
    ],
    [
      'an error function of its own',
      z.string({ error: (issue) => `bad ${String(issue.input)}` }),
      /here: the function .*not a named export/,
    ],
    [
      'a string format it does not know',
      z.object({ mail: z.email() }),
      /here\.mail: the string format email/,
    ],
    [
      'a transform',
      z.pipe(
        z.string(),
        z.transform((text) => text.length),
      ),
      /here: the type pipe/,
    ],
    [
      'a catchall other than never',
      z.catchall(z.object({}), z.string()),
      /here: a catchall other than never/,
    ],
    ['a check it does not know', z.array(z.string()).check(z.minSize(1) as never), /check min_size/],
    [
      'an option it does not know',
      z.string().check(z.regex(/a/, { abort: true, when: () => true } as never)),
      /option\(s\) when/,
    ],
    ['a default that is not JSON', z._default(z.date(), new Date(0)), /here: the type date|here\(default\)/],
    [
      'a lowercase transform it cannot name',
      z.string().check(z.overwrite((text) => text.slice(1))),
      /the transform/,
    ],
  ])('refuses %s, naming where it is', async (_what, schema, message) => {
    await expect(compile(schema)).rejects.toThrow(message);
  });
});
