/**
 * Request bodies and their Content-Type: the route's example as it is, the example with one thing
 * wrong, or something that is not a JSON object at all (text, arrays, deep nesting, invalid UTF-8,
 * past the 16 KB and 1 MB limits).
 */
import fc from 'fast-check';
import { type Described, described, mutatedJson, oddText, weighted } from './odd-values.js';

const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-16',
  'application/merge-patch+json',
  'APPLICATION/JSON',
  'application/jsonx',
  'multipart/form-data; boundary=x',
  '*/*',
  '',
];

export const contentType = weighted<string | undefined>(
  [10, fc.constant('application/json')],
  [1, fc.constant(undefined)],
  [2, fc.constantFrom(...CONTENT_TYPES)],
);

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** A body: the example, the example with one thing wrong, or not a JSON object at all. */
export const bodyArbitrary = (examples: unknown[]): fc.Arbitrary<Described<Buffer | undefined>> => {
  const json = (value: unknown) =>
    value === undefined ? undefined : Buffer.from(JSON.stringify(value), 'utf8');
  const text = (value: string) => Buffer.from(value, 'utf8');
  const other = weighted<Described<Buffer | undefined>>(
    [
      2,
      described(oddText, (t) => `text body ${JSON.stringify(t.slice(0, 40))}`).map((d) => ({
        ...d,
        value: text(d.value),
      })),
    ],
    [
      2,
      described(fc.jsonValue({ maxDepth: 3 }), (v) => `JSON body ${JSON.stringify(v)?.slice(0, 60)}`).map(
        (d) => ({ ...d, value: json(d.value) }),
      ),
    ],
    [
      1,
      described(fc.constantFrom(10, 1_000, 8_000, 100_000), (depth) => `JSON nested ${depth} deep`).map(
        (d) => ({ ...d, value: text(nested(d.value)) }),
      ),
    ],
    [
      1,
      described(fc.constantFrom(16 * 1024 + 1, 200_000), (size) => `${size}-byte body`).map((d) => ({
        ...d,
        value: Buffer.alloc(d.value, 0x20),
      })),
    ],
    [
      1,
      described(fc.constant(1024 * 1024 + 1), (size) => `${size}-byte body`).map((d) => ({
        ...d,
        value: Buffer.alloc(d.value, 0x7b),
      })),
    ],
    [
      1,
      described(fc.uint8Array({ minLength: 1, maxLength: 64 }), () => 'random bytes').map((d) => ({
        ...d,
        value: Buffer.from(d.value),
      })),
    ],
    [
      1,
      fc.constant({
        value: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
        what: 'invalid UTF-8',
      }),
    ],
    [1, fc.constant({ value: Buffer.alloc(0), what: 'empty body' })],
  );
  if (examples.length === 0) return weighted([8, fc.constant({ value: undefined, what: '' })], [1, other]);
  return weighted<Described<Buffer | undefined>>(
    [
      5,
      described(fc.constantFrom(...examples), () => 'example body').map((d) => ({
        ...d,
        value: json(d.value),
      })),
    ],
    [
      10,
      fc
        .constantFrom(...examples)
        .chain(mutatedJson)
        .map((d) => ({ ...d, value: json(d.value) })),
    ],
    [2, other],
  );
};
