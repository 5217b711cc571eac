/**
 * Amazon EventBridge event patterns, evaluated locally: the local bus matches its rules with this,
 * and the local stream poller applies the Lambda event-source filter patterns (same syntax).
 *
 * Semantics follow EventBridge (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html):
 * fields of an object are ANDed; a leaf array is an OR list; a leaf matches an event array when any
 * element matches; only leaves (not objects) count as "present" for `exists`; a missing field is
 * matched only by `{ exists: false }`. Patterns are validated once and compiled (cached per object).
 */

import { isPlainObject } from '../shared/is-plain-object.js';
import { compileLeafArray, type Leaf, type LeafRule } from './content-filters.js';
import { describe, type EventPattern, InvalidEventPatternError, joinPath } from './pattern-syntax.js';

export {
  type AnythingBut,
  type ContentFilter,
  type EventPattern,
  InvalidEventPatternError,
  type PatternMatcher,
} from './pattern-syntax.js';

interface ObjectRule {
  kind: 'object';
  key: string;
  matcher: CompiledObject;
}

interface CompiledObject {
  rules: (LeafRule | ObjectRule)[];
  /** Each entry: at least one alternative must match the same node. */
  ors: CompiledObject[][];
}

const compileObject = (pattern: unknown, path: string): CompiledObject => {
  if (!isPlainObject(pattern)) {
    throw new InvalidEventPatternError(path, `a pattern must be a JSON object, got ${describe(pattern)}`);
  }
  const entries = Object.entries(pattern);
  if (entries.length === 0)
    throw new InvalidEventPatternError(path, 'a pattern object must have at least one field');
  const compiled: CompiledObject = { rules: [], ors: [] };
  for (const [key, value] of entries) {
    const at = joinPath(path, key);
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) {
        throw new InvalidEventPatternError(at, '"$or" takes an array of at least two patterns');
      }
      compiled.ors.push(value.map((alternative, index) => compileObject(alternative, `${at}[${index}]`)));
    } else if (Array.isArray(value)) {
      compiled.rules.push(compileLeafArray(key, value, at));
    } else if (isPlainObject(value)) {
      compiled.rules.push({ kind: 'object', key, matcher: compileObject(value, at) });
    } else {
      throw new InvalidEventPatternError(
        at,
        `the value of a field must be an array of values to match or a nested pattern object, got ${describe(value)}`,
      );
    }
  }
  return compiled;
};

/** The leaf values at a node: scalars, and scalars inside (nested) arrays; objects are not leaves. */
const leavesOf = (node: unknown, into: Leaf[] = []): Leaf[] => {
  if (Array.isArray(node)) {
    for (const item of node) leavesOf(item, into);
  } else if (
    node === null ||
    typeof node === 'string' ||
    typeof node === 'boolean' ||
    (typeof node === 'number' && Number.isFinite(node))
  ) {
    into.push(node);
  }
  return into;
};

const fieldOf = (node: unknown, key: string): unknown =>
  isPlainObject(node) && Object.hasOwn(node, key) ? node[key] : undefined;

const matchLeaf = (rule: LeafRule, value: unknown): boolean => {
  const leaves = leavesOf(value);
  if (leaves.length === 0) return rule.absent;
  if (rule.anyPresent) return true;
  return leaves.some((leaf) => rule.tests.some((test) => test(leaf)));
};

const matchObject = (compiled: CompiledObject, node: unknown): boolean => {
  // A nested pattern matches an array of objects when one element matches it as a whole.
  if (Array.isArray(node)) {
    return node.length === 0
      ? matchObject(compiled, undefined)
      : node.some((item) => matchObject(compiled, item));
  }
  for (const rule of compiled.rules) {
    const value = fieldOf(node, rule.key);
    const matched = rule.kind === 'leaf' ? matchLeaf(rule, value) : matchObject(rule.matcher, value);
    if (!matched) return false;
  }
  return compiled.ors.every((alternatives) =>
    alternatives.some((alternative) => matchObject(alternative, node)),
  );
};

const compiledPatterns = new WeakMap<object, CompiledObject>();

const compiledFor = (pattern: unknown): CompiledObject => {
  if (isPlainObject(pattern)) {
    const cached = compiledPatterns.get(pattern);
    if (cached) return cached;
  }
  const compiled = compileObject(pattern, '');
  compiledPatterns.set(pattern as object, compiled);
  return compiled;
};

/** Throws InvalidEventPatternError (naming the offending path) unless `pattern` is a valid event pattern. */
export function validatePattern(pattern: unknown): asserts pattern is EventPattern {
  compiledFor(pattern);
}

/** Validates once and returns a predicate for events. */
export const compilePattern = (pattern: EventPattern): ((event: unknown) => boolean) => {
  const compiled = compiledFor(pattern);
  return (event) => matchObject(compiled, event);
};

/**
 * Whether `event` (any parsed JSON: an EventBridge envelope, a Lambda stream record…) matches
 * `pattern`. Throws InvalidEventPatternError for a malformed pattern.
 */
export const matchesPattern = (pattern: EventPattern, event: unknown): boolean =>
  matchObject(compiledFor(pattern), event);
