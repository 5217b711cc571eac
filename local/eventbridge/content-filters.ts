/**
 * The leaves of an event pattern: exact values and content filters (prefix, suffix,
 * equals-ignore-case, anything-but, numeric, exists, wildcard, cidr), each compiled once into a
 * test of a leaf value.
 */
import { isPlainObject } from '../shared/is-plain-object.js';
import { describe, InvalidEventPatternError, joinPath } from './pattern-syntax.js';

export type Leaf = string | number | boolean | null;
type LeafTest = (value: Leaf) => boolean;

export interface LeafRule {
  kind: 'leaf';
  key: string;
  tests: LeafTest[];
  /** `{ exists: true }` is one of the alternatives. */
  anyPresent: boolean;
  /** `{ exists: false }` is one of the alternatives. */
  absent: boolean;
}

const OPERATORS = [
  'prefix',
  'suffix',
  'equals-ignore-case',
  'anything-but',
  'numeric',
  'exists',
  'wildcard',
  'cidr',
] as const;
const NUMERIC_OPERATORS = ['<', '<=', '=', '>', '>='] as const;
type NumericOperator = (typeof NUMERIC_OPERATORS)[number];
/** EventBridge accepts numeric operands between -5.0e9 and +5.0e9. */
const NUMERIC_LIMIT = 5e9;

const fold = (text: string) => text.toLowerCase();

const requireString = (value: unknown, path: string, what: string): string => {
  if (typeof value !== 'string')
    throw new InvalidEventPatternError(path, `${what} must be a string, got ${describe(value)}`);
  return value;
};

/** `string` or `{ 'equals-ignore-case': string }`, the operand of prefix and suffix. */
const stringOrIgnoreCase = (
  value: unknown,
  path: string,
  operator: string,
): { text: string; ignoreCase: boolean } => {
  if (typeof value === 'string') return { text: value, ignoreCase: false };
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'equals-ignore-case') {
      return {
        text: requireString(value['equals-ignore-case'], path, `"${operator}" with "equals-ignore-case"`),
        ignoreCase: true,
      };
    }
  }
  throw new InvalidEventPatternError(
    path,
    `"${operator}" takes a string or { "equals-ignore-case": string }, got ${describe(value)}`,
  );
};

/** Wildcard `*` matches any run of characters; `\*` is a literal star and `\\` a literal backslash. */
const compileWildcard = (pattern: string, path: string): RegExp => {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index] as string;
    if (char === '\\') {
      const next = pattern[index + 1];
      if (next !== '*' && next !== '\\') {
        throw new InvalidEventPatternError(
          path,
          `"wildcard" allows only \\* and \\\\ as escapes: ${pattern}`,
        );
      }
      source += `\\${next}`;
      index++;
    } else if (char === '*') {
      if (pattern[index + 1] === '*') {
        throw new InvalidEventPatternError(path, `"wildcard" does not allow consecutive *: ${pattern}`);
      }
      source += '.*';
    } else {
      source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 's');
};

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Dotted-quad IPv4 as an unsigned 32-bit number, or null. */
export const parseIpv4 = (text: string): number | null => {
  const match = IPV4.exec(text);
  if (!match) return null;
  let value = 0;
  for (const part of match.slice(1)) {
    if (part.length > 1 && part.startsWith('0')) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
};

const compileCidr = (value: unknown, path: string): LeafTest => {
  const text = requireString(value, path, '"cidr"');
  if (text.includes(':')) {
    throw new InvalidEventPatternError(path, `the local matcher supports IPv4 CIDR blocks only: ${text}`);
  }
  const match = /^([^/]+)\/(\d{1,2})$/.exec(text);
  const network = match?.[1] === undefined ? null : parseIpv4(match[1]);
  const bits = Number(match?.[2]);
  if (network === null || !(bits >= 0 && bits <= 32)) {
    throw new InvalidEventPatternError(path, `"cidr" must be an IPv4 block like 10.0.0.0/24, got ${text}`);
  }
  const size = 2 ** (32 - bits);
  const base = Math.floor(network / size) * size;
  return (leaf) => {
    if (typeof leaf !== 'string') return false;
    const ip = parseIpv4(leaf);
    return ip !== null && ip >= base && ip < base + size;
  };
};

const compileNumeric = (value: unknown, path: string): LeafTest => {
  if (!Array.isArray(value) || (value.length !== 2 && value.length !== 4)) {
    throw new InvalidEventPatternError(
      path,
      `"numeric" takes [operator, number] or [operator, number, operator, number], got ${JSON.stringify(value)}`,
    );
  }
  const comparisons: { operator: NumericOperator; operand: number }[] = [];
  for (let index = 0; index < value.length; index += 2) {
    const operator = value[index] as unknown;
    const operand = value[index + 1] as unknown;
    if (!NUMERIC_OPERATORS.includes(operator as NumericOperator)) {
      throw new InvalidEventPatternError(
        path,
        `unknown numeric operator ${JSON.stringify(operator)} (expected one of ${NUMERIC_OPERATORS.join(' ')})`,
      );
    }
    if (typeof operand !== 'number' || !Number.isFinite(operand) || Math.abs(operand) > NUMERIC_LIMIT) {
      throw new InvalidEventPatternError(
        path,
        `"numeric" operands must be numbers between -5e9 and 5e9, got ${describe(operand)}`,
      );
    }
    comparisons.push({ operator: operator as NumericOperator, operand });
  }
  if (comparisons.length === 2) {
    const [first, second] = comparisons as [(typeof comparisons)[0], (typeof comparisons)[0]];
    const isLower = (operator: NumericOperator) => operator === '>' || operator === '>=';
    const isUpper = (operator: NumericOperator) => operator === '<' || operator === '<=';
    const lower = isLower(first.operator) ? first : isLower(second.operator) ? second : undefined;
    const upper = isUpper(first.operator) ? first : isUpper(second.operator) ? second : undefined;
    if (!lower || !upper) {
      throw new InvalidEventPatternError(
        path,
        '"numeric" with two conditions needs one lower (> >=) and one upper (< <=) bound',
      );
    }
    if (lower.operand >= upper.operand) {
      throw new InvalidEventPatternError(path, `"numeric" range is empty: ${JSON.stringify(value)}`);
    }
  }
  const compare: Record<NumericOperator, (value: number, operand: number) => boolean> = {
    '<': (value, operand) => value < operand,
    '<=': (value, operand) => value <= operand,
    '=': (value, operand) => value === operand,
    '>': (value, operand) => value > operand,
    '>=': (value, operand) => value >= operand,
  };
  return (leaf) =>
    typeof leaf === 'number' &&
    comparisons.every(({ operator, operand }) => compare[operator](leaf, operand));
};

const exactTest =
  (expected: Leaf): LeafTest =>
  (leaf) =>
    leaf === expected;

const stringList = (value: unknown, path: string, what: string): string[] => {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new InvalidEventPatternError(path, `${what} must not be an empty array`);
  return list.map((item) => requireString(item, path, what));
};

const compileAnythingBut = (value: unknown, path: string): LeafTest => {
  if (typeof value === 'string' || typeof value === 'number') {
    return (leaf) => leaf !== value;
  }
  if (Array.isArray(value)) {
    if (value.length === 0)
      throw new InvalidEventPatternError(path, '"anything-but" must not be an empty array');
    const allStrings = value.every((item) => typeof item === 'string');
    const allNumbers = value.every((item) => typeof item === 'number' && Number.isFinite(item));
    if (!allStrings && !allNumbers) {
      throw new InvalidEventPatternError(path, '"anything-but" takes a list of only strings or only numbers');
    }
    const excluded = new Set<Leaf>(value as Leaf[]);
    return (leaf) => !excluded.has(leaf);
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    const [operator] = keys;
    if (keys.length !== 1 || operator === undefined) {
      throw new InvalidEventPatternError(path, '"anything-but" takes an object with exactly one operator');
    }
    const operand = value[operator];
    const at = joinPath(path, 'anything-but');
    switch (operator) {
      case 'prefix':
      case 'suffix': {
        const text = requireString(operand, at, `"anything-but" with "${operator}"`);
        if (text === '')
          throw new InvalidEventPatternError(at, `"anything-but" "${operator}" must not be empty`);
        return operator === 'prefix'
          ? (leaf) => !(typeof leaf === 'string' && leaf.startsWith(text))
          : (leaf) => !(typeof leaf === 'string' && leaf.endsWith(text));
      }
      case 'equals-ignore-case': {
        const excluded = new Set(
          stringList(operand, at, '"anything-but" with "equals-ignore-case"').map(fold),
        );
        return (leaf) => !(typeof leaf === 'string' && excluded.has(fold(leaf)));
      }
      case 'wildcard': {
        const expressions = stringList(operand, at, '"anything-but" with "wildcard"').map((text) =>
          compileWildcard(text, at),
        );
        return (leaf) =>
          !(typeof leaf === 'string' && expressions.some((expression) => expression.test(leaf)));
      }
      default:
        throw new InvalidEventPatternError(
          at,
          `unknown operator ${JSON.stringify(operator)} inside "anything-but" (expected prefix, suffix, equals-ignore-case or wildcard)`,
        );
    }
  }
  throw new InvalidEventPatternError(
    path,
    `"anything-but" takes a string, a number, a list of them or an object, got ${describe(value)}`,
  );
};

/** `prefix` or `suffix`: `has` tells whether a string leaf has the operand at its start or end. */
const compileAffix = (
  operand: unknown,
  path: string,
  operator: 'prefix' | 'suffix',
  has: (leaf: string, text: string) => boolean,
): LeafTest => {
  const { text, ignoreCase } = stringOrIgnoreCase(operand, path, operator);
  const folded = fold(text);
  return ignoreCase
    ? (leaf) => typeof leaf === 'string' && has(fold(leaf), folded)
    : (leaf) => typeof leaf === 'string' && has(leaf, text);
};

/** One leaf array: exact values and content filters, any of which may match. */
export const compileLeafArray = (key: string, values: readonly unknown[], path: string): LeafRule => {
  if (values.length === 0) {
    throw new InvalidEventPatternError(path, 'a field must list at least one value to match (empty array)');
  }
  const rule: LeafRule = { kind: 'leaf', key, tests: [], anyPresent: false, absent: false };
  for (const item of values) {
    if (item === null || typeof item === 'string' || typeof item === 'boolean') {
      rule.tests.push(exactTest(item));
      continue;
    }
    if (typeof item === 'number') {
      if (!Number.isFinite(item)) throw new InvalidEventPatternError(path, `${item} is not a JSON number`);
      rule.tests.push(exactTest(item));
      continue;
    }
    if (Array.isArray(item)) {
      throw new InvalidEventPatternError(
        path,
        'a match value cannot be an array (arrays in patterns are OR lists)',
      );
    }
    if (!isPlainObject(item))
      throw new InvalidEventPatternError(path, `unsupported match value ${describe(item)}`);
    const keys = Object.keys(item);
    const [operator] = keys;
    if (operator === undefined)
      throw new InvalidEventPatternError(path, 'an empty object is not a content filter');
    if (!OPERATORS.includes(operator as (typeof OPERATORS)[number])) {
      throw new InvalidEventPatternError(
        path,
        `unknown operator ${JSON.stringify(operator)} (expected one of ${OPERATORS.join(', ')})`,
      );
    }
    if (keys.length !== 1) {
      throw new InvalidEventPatternError(
        path,
        `a content filter has exactly one operator, got ${keys.join(', ')}`,
      );
    }
    const operand = item[operator];
    switch (operator as (typeof OPERATORS)[number]) {
      case 'prefix':
        rule.tests.push(compileAffix(operand, path, 'prefix', (leaf, text) => leaf.startsWith(text)));
        break;
      case 'suffix':
        rule.tests.push(compileAffix(operand, path, 'suffix', (leaf, text) => leaf.endsWith(text)));
        break;
      case 'equals-ignore-case': {
        const folded = fold(requireString(operand, path, '"equals-ignore-case"'));
        rule.tests.push((leaf) => typeof leaf === 'string' && fold(leaf) === folded);
        break;
      }
      case 'anything-but':
        rule.tests.push(compileAnythingBut(operand, path));
        break;
      case 'numeric':
        rule.tests.push(compileNumeric(operand, path));
        break;
      case 'exists':
        if (typeof operand !== 'boolean') {
          throw new InvalidEventPatternError(path, `"exists" takes true or false, got ${describe(operand)}`);
        }
        if (operand) rule.anyPresent = true;
        else rule.absent = true;
        break;
      case 'wildcard': {
        const expression = compileWildcard(requireString(operand, path, '"wildcard"'), path);
        rule.tests.push((leaf) => typeof leaf === 'string' && expression.test(leaf));
        break;
      }
      case 'cidr':
        rule.tests.push(compileCidr(operand, path));
        break;
    }
  }
  return rule;
};
