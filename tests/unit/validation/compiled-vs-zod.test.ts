import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import { PROJECT_STATUSES } from '../../../functions/domain/progress.js';
import { AGGREGATIONS } from '../../../functions/domain/project.js';
import { ROLES } from '../../../functions/domain/provinces.js';
import { ALL_DETAIL_TYPES, THRESHOLDS } from '../../../functions/events/catalogue.js';
import * as detailSchemas from '../../../functions/events/detail-schemas.js';
import * as compiledDetails from '../../../functions/schemas/compiled/event-details.js';
import * as compiledMilestones from '../../../functions/schemas/compiled/milestones.js';
import * as compiledProjects from '../../../functions/schemas/compiled/projects.js';
import * as compiledSubscriptions from '../../../functions/schemas/compiled/subscriptions.js';
import { issueMessage } from '../../../functions/schemas/issue-messages.js';
import * as milestones from '../../../functions/schemas/milestones.js';
import * as projects from '../../../functions/schemas/projects.js';
import * as subscriptions from '../../../functions/schemas/subscriptions.js';
import { safeParse } from '../../../functions/validation/parse-with.js';
import type { Validator } from '../../../functions/validation/validator.js';
import { HOSTILE_CHARACTERS, mutatedJson, replacedJson } from '../../fuzz/odd-values.js';
import { withoutZodLocale } from '../../support/zod-locale.js';
import { VALID_INPUTS } from './valid-inputs.js';

/**
 * The validators `npm run validators` compiles must answer exactly as the zod schemas they are
 * compiled from: same success, same output (trimmed, coerced, defaulted, keys in the same order),
 * same issues (path and text, in the same order). The same inputs go to both, valid inputs mutated
 * once or twice, with values at the edges of every rule.
 */
const RUNS = Number(process.env.VALIDATOR_RUNS ?? 3000);

// A bundled function has no zod locale: read what it answers.
withoutZodLocale();

const PAIRS: [Record<string, unknown>, Record<string, unknown>][] = [
  [projects, compiledProjects],
  [milestones, compiledMilestones],
  [subscriptions, compiledSubscriptions],
  [detailSchemas, compiledDetails],
];
const SCHEMAS = PAIRS.flatMap(([source, compiled]) =>
  Object.entries(source)
    .filter(([, value]) => typeof value === 'object' && value !== null && '_zod' in value)
    .map(([name, schema]) => ({
      name,
      schema: schema as z.ZodMiniType,
      compiled: compiled[name] as Validator,
    })),
);

/** Objects as [key, value] lists, so that key order counts in the comparison. */
const ordered = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(ordered);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).map(([key, inner]) => [key, ordered(inner)]);
  }
  return value;
};

const byZod = (schema: z.ZodMiniType, input: unknown) => {
  const result = schema.safeParse(input, { error: issueMessage });
  return result.success
    ? { success: true, data: ordered(result.data) }
    : { success: false, issues: result.error.issues.map(({ path, message }) => ({ path, message })) };
};

const byCompiled = (validator: Validator, input: unknown) => {
  const result = safeParse(validator, input);
  return result.success ? { success: true, data: ordered(result.data) } : result;
};

/** Values at the edges of the rules our schemas state. */
const EDGES: unknown[] = [
  ...[0, -0, -1, 0.5, 1, 1999, 2000, 2100, 2101, 366, 367, 100, 100.5, 1e9, 1e9 + 1, 5000, 5001],
  ...[Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53, -(2 ** 53), 1e21],
  ...['0', '1', '-1', '1.5', '1e3', '0x10', ' 7 ', '', ' ', 'Infinity', 'NaN', '2024', ' 2024 ', '5001'],
  ...['2024-02-30', '2024-02-29', '2023-02-29', '2024-13-01', '2024-6-30', ' 2024-06-30', '20240630'],
  ...['2024-06-30T00:00:00Z', '2024-06-30T00:00:00+08:00', '2024-06-30T00:00:00', '2024-06-30T24:00:00Z'],
  ...[
    'https://example.com',
    'http://a.b/c',
    'http:example.com',
    'ftp://example.com',
    ' https://a.b ',
    'https://a\tb.c',
  ],
  ...['javascript:alert(1)', 'https://', 'mailto:x@y.z', `https://a.b/${'x'.repeat(2040)}`],
  ...['0b3c3f9e-1d2a-4c5b-8e7f-9a0b1c2d3e4f', '0B3C3F9E-1D2A-4C5B-8E7F-9A0B1C2D3E4F', 'not-a-uuid'],
  ...[
    ' x ',
    '  ',
    'a\nb',
    'a\tb',
    'a\r\nb',
    'x'.repeat(200),
    'x'.repeat(201),
    '长'.repeat(1001),
    '𝌆'.repeat(201),
  ],
  ...HOSTILE_CHARACTERS.map((character) => `a${character}b`),
  ...['rail-2024', 'Rail', '-rail', 'a'.repeat(65)],
  ...[...ROLES, ...PROJECT_STATUSES, ...AGGREGATIONS, ...ALL_DETAIL_TYPES, ...THRESHOLDS, 'SHANGHAI'],
  ...[
    ['shanghai', 'shanghai'],
    ['MilestoneRecorded', 'MilestoneRecorded'],
    ['a', 'a'],
    ['rail', 'rail-2'],
  ],
  ...[[], [null], {}, { zh: 'x' }, { zh: ' ', en: 'x' }, { shanghai: 0 }, { hubei: 1 }, { 1: 2 }],
  ...[null, undefined, true, false, 'true'],
];
const edge = fc.constantFrom(...EDGES);

/** One or two changes of a valid input: a field's value, removed, an extra key, another type. */
const inputsFor = (name: string) => {
  const valid = VALID_INPUTS[name] ?? [];
  const once = fc
    .constantFrom(...valid)
    .chain((base) => fc.oneof(mutatedJson(base), replacedJson(base, edge, 'an edge value')))
    .map((changed) => changed.value);
  return fc.oneof(
    { weight: 4, arbitrary: once },
    {
      weight: 3,
      arbitrary: once
        .chain((changed) => fc.oneof(mutatedJson(changed), replacedJson(changed, edge, 'an edge value')))
        .map((c) => c.value),
    },
    { weight: 1, arbitrary: fc.anything() },
  );
};

describe('the compiled validators answer as the zod schemas', () => {
  it('cover every exported schema, each with valid inputs that zod takes', () => {
    expect(SCHEMAS.map(({ name }) => name).sort()).toEqual(Object.keys(VALID_INPUTS).sort());
    for (const { name, schema, compiled } of SCHEMAS) {
      expect(compiled, name).toBeDefined();
      for (const input of VALID_INPUTS[name] ?? []) expect(byZod(schema, input).success, name).toBe(true);
    }
  });

  for (const { name, schema, compiled } of SCHEMAS) {
    it(`${name}: same success, output and issues`, () => {
      fc.assert(
        fc.property(inputsFor(name), (input) => {
          expect(byCompiled(compiled, input)).toStrictEqual(byZod(schema, input));
        }),
        { numRuns: RUNS },
      );
    });
  }
});
