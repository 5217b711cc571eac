/**
 * The raw material of bad input: odd text, odd numbers, and one-field mutations of a valid JSON
 * body. Each generated value carries a short description so a counterexample reads as a sentence.
 */
import fc from 'fast-check';

/** A value and what was done to make it. */
export interface Described<T> {
  value: T;
  what: string;
}

/** One of several arbitraries, each with its weight. */
export const weighted = <T>(...entries: [number, fc.Arbitrary<T>][]) =>
  fc.oneof(...entries.map(([weight, arbitrary]) => ({ weight, arbitrary })));

/** Values with a description made from each. */
export const described = <T>(
  arbitrary: fc.Arbitrary<T>,
  what: (value: T) => string,
): fc.Arbitrary<Described<T>> => arbitrary.map((value) => ({ value, what: what(value) }));

/** Characters free text must refuse: controls, bidirectional formatting, a lone surrogate. */
export const HOSTILE_CHARACTERS = [
  '\u0000',
  '\u0007',
  '\u001b',
  '\u0085',
  '\u202e',
  '\u2066',
  '\u200e',
  '\ud800',
  '\udc00',
];

export const oddText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.string({ maxLength: 10 }),
        fc.constantFrom(...HOSTILE_CHARACTERS),
        fc.string({ maxLength: 10 }),
      )
      .map((parts) => parts.join('')),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '../../etc/passwd',
      '%00',
      '<script>alert(1)</script>',
      "' OR 1=1 --",
      '$' + '{jndi:ldap://x}',
    ),
  },
  // Past every length limit; in a URL, past the 16 KB of a request line too.
  { weight: 1, arbitrary: fc.constantFrom(300, 2_000, 6_000).map((length) => '长'.repeat(length)) },
);

export const oddNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(-1, 0, -0, 0.5, 1e-9, 2 ** 53 + 2, 1e21, 1e308, -1e308, Number.MAX_SAFE_INTEGER),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Any JSON value, for a field given a value of another type. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, [], {}, '', '2024-02-30', 'NaN'),
  oddText,
  oddNumber,
  fc.jsonValue({ maxDepth: 3 }),
);

type Path = (string | number)[];

/** Every place in a JSON value a mutation can aim at (the root included). */
const pathsOf = (value: unknown, at: Path = []): Path[] => {
  if (Array.isArray(value)) return [at, ...value.flatMap((inner, index) => pathsOf(inner, [...at, index]))];
  if (value !== null && typeof value === 'object') {
    return [at, ...Object.entries(value).flatMap(([key, inner]) => pathsOf(inner, [...at, key]))];
  }
  return [at];
};

const clone = <T>(value: T): T => structuredClone(value);

const setAt = (
  root: unknown,
  path: Path,
  change: (parent: Record<string | number, unknown>, key: string | number) => void,
) => {
  const copy = clone(root);
  const parentPath = path.slice(0, -1);
  let parent: unknown = copy;
  for (const key of parentPath) parent = (parent as Record<string | number, unknown>)[key];
  const key = path.at(-1);
  if (key !== undefined) change(parent as Record<string | number, unknown>, key);
  return copy;
};

type Mutation = (root: unknown, path: Path) => fc.Arbitrary<Described<unknown>>;

const replaceWith =
  (values: fc.Arbitrary<unknown>, what: string): Mutation =>
  (root, path) =>
    values.map((value) => ({
      value:
        path.length === 0
          ? value
          : setAt(root, path, (parent, key) => {
              parent[key] = value;
            }),
      what: `${what} at ${path.join('.') || '(root)'}: ${JSON.stringify(value)?.slice(0, 60)}`,
    }));

const MUTATIONS: Mutation[] = [
  replaceWith(anyJson, 'another type'),
  replaceWith(oddNumber, 'an odd number'),
  replaceWith(oddText, 'odd text'),
  (root, path) =>
    fc.constant({
      value:
        path.length === 0
          ? undefined
          : setAt(root, path, (parent, key) => {
              if (Array.isArray(parent)) parent.splice(Number(key), 1);
              else delete parent[key];
            }),
      what: `${path.join('.') || 'the whole body'} removed`,
    }),
  (root, path) =>
    fc
      .tuple(fc.constantFrom('__proto__', 'constructor', 'extra', 'value ', ''), anyJson)
      .map(([key, value]) => ({
        value: (() => {
          const copy = clone(root);
          let target: unknown = copy;
          for (const step of path) target = (target as Record<string | number, unknown>)[step];
          if (target === null || typeof target !== 'object' || Array.isArray(target)) return copy;
          // defineProperty, so that `__proto__` becomes an own key of the JSON text, not a prototype.
          Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
          return copy;
        })(),
        what: `extra key ${JSON.stringify(key)} at ${path.join('.') || '(root)'}`,
      })),
];

/** A valid body with exactly one place changed in one way. */
export const mutatedJson = (valid: unknown): fc.Arbitrary<Described<unknown>> => {
  const paths = pathsOf(valid);
  return fc
    .tuple(fc.constantFrom(...paths), fc.constantFrom(...MUTATIONS))
    .chain(([path, mutation]) => mutation(valid, path));
};

/** A valid body with one place (the root included) replaced by one of `values`. */
export const replacedJson = (valid: unknown, values: fc.Arbitrary<unknown>, what: string) =>
  fc.constantFrom(...pathsOf(valid)).chain((path) => replaceWith(values, what)(valid, path));
