/**
 * What the compiler recognises of zod's own closures, by comparing with the ones zod itself makes:
 * the error function a string message becomes, the value transform of z.trim() and its kin, the
 * default `when` of length checks. Anything else is a function only a registry can name.
 */
import * as z from 'zod/mini';

type Def = { error?: unknown; tx?: unknown; when?: unknown };
const defOf = (schema: unknown) => (schema as { _zod: { def: Def } })._zod.def;

/** Sources of the closures normalizeParams wraps a message in (`'text'` and `{ error: 'text' }`). */
export const MESSAGE_CLOSURES = new Set(
  [defOf(z.string('text')).error, defOf(z.string({ error: 'text' })).error].map(String),
);

export const OVERWRITES: ReadonlyMap<string, string> = new Map([
  [String(defOf(z.trim()).tx), '(text: string) => text.trim()'],
  [String(defOf(z.toLowerCase()).tx), '(text: string) => text.toLowerCase()'],
  [String(defOf(z.toUpperCase()).tx), '(text: string) => text.toUpperCase()'],
]);

export const LENGTH_WHEN = defOf(z.maxLength(1)).when;

export const HTTP_PROTOCOL = z.regexes.httpProtocol;

export const NUMBER_FORMAT_RANGES = z.core.util.NUMBER_FORMAT_RANGES as Readonly<
  Record<string, readonly [number, number]>
>;

/** String formats zod checks with their pattern alone (no check function of their own). */
export const PATTERN_FORMATS = new Set(['regex', 'datetime', 'date', 'time', 'uuid', 'guid']);

export const enumValues = (entries: Record<string, unknown>): unknown[] =>
  z.core.util.getEnumValues(entries as never);
