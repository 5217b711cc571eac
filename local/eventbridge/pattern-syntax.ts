/** The event pattern language's shapes, and the error a malformed pattern raises. */

type IgnoreCase = { readonly 'equals-ignore-case': string };

/** The operand of `anything-but`. */
export type AnythingBut =
  | string
  | number
  | readonly string[]
  | readonly number[]
  | { readonly prefix: string }
  | { readonly suffix: string }
  | { readonly 'equals-ignore-case': string | readonly string[] }
  | { readonly wildcard: string | readonly string[] };

/** A content filter: an object with exactly one operator. */
export type ContentFilter =
  | { readonly prefix: string | IgnoreCase }
  | { readonly suffix: string | IgnoreCase }
  | { readonly 'equals-ignore-case': string }
  | { readonly 'anything-but': AnythingBut }
  | { readonly numeric: readonly (string | number)[] }
  | { readonly exists: boolean }
  | { readonly wildcard: string }
  | { readonly cidr: string };

/** One alternative of a leaf array: an exact JSON value or a content filter. */
export type PatternMatcher = string | number | boolean | null | ContentFilter;

/** An EventBridge event pattern (also the syntax of Lambda event-source filter patterns). */
export interface EventPattern {
  readonly [field: string]: readonly PatternMatcher[] | EventPattern | readonly EventPattern[];
}

/** Thrown for a malformed pattern; AWS answers such patterns with InvalidEventPatternException. */
export class InvalidEventPatternError extends Error {
  override readonly name = 'InvalidEventPatternError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`Event pattern is not valid at ${path === '' ? 'the top level' : path}: ${reason}`);
  }
}

/** How a pattern error names an unexpected value. */
export const describe = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
};

/** The dotted path of `key` under `path`, as pattern errors name a place. */
export const joinPath = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);
