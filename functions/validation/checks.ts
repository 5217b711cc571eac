/** The checks a compiled validator runs after its type, each raising the issue zod's raises. */
import type { Check, ErrorMap, Payload, Raiser, RawIssue } from './validator.js';

export interface CheckOptions {
  error?: ErrorMap;
  abort?: boolean;
}

const make = (
  options: CheckOptions,
  run: (payload: Payload, raise: (issue: RawIssue) => void) => void,
): Check => {
  const check: Check = {
    error: options.error,
    check: (payload) =>
      run(payload, (issue) => payload.issues.push({ ...issue, inst: check, continue: !options.abort })),
  };
  return check;
};

const ORIGINS: Readonly<Record<string, string>> = { number: 'number', bigint: 'bigint', object: 'date' };

export const lessThan = (value: number, inclusive: boolean, options: CheckOptions = {}) =>
  make(options, (payload, raise) => {
    const input = payload.value as number;
    if (inclusive ? input <= value : input < value) return;
    raise({ origin: ORIGINS[typeof input] ?? 'number', code: 'too_big', maximum: value, input, inclusive });
  });

export const greaterThan = (value: number, inclusive: boolean, options: CheckOptions = {}) =>
  make(options, (payload, raise) => {
    const input = payload.value as number;
    if (inclusive ? input >= value : input > value) return;
    raise({ origin: ORIGINS[typeof input] ?? 'number', code: 'too_small', minimum: value, input, inclusive });
  });

/**
 * z.int() and its kin: a fraction aborts (continue: false, whatever `abort` says); past the safe
 * integers, or the format's range, is too big or too small. `inst` is the schema when the check is
 * the schema itself (`z.int()`): its issues are then that schema's.
 */
export const numberFormat = (
  format: string,
  [minimum, maximum]: readonly [number, number],
  options: CheckOptions = {},
  inst?: Raiser,
): Check => {
  const isInt = format.includes('int');
  const origin = isInt ? 'int' : 'number';
  const check: Check = { error: options.error, check: () => {} };
  const raiser = inst ?? check;
  const push = (payload: Payload, issue: RawIssue) => payload.issues.push({ ...issue, inst: raiser });
  const go = !options.abort;
  check.check = (payload) => {
    const input = payload.value as number;
    if (isInt) {
      if (!Number.isInteger(input)) {
        push(payload, { expected: origin, format, code: 'invalid_type', continue: false, input });
        return;
      }
      if (!Number.isSafeInteger(input)) {
        const bound =
          input > 0
            ? { code: 'too_big', maximum: Number.MAX_SAFE_INTEGER }
            : { code: 'too_small', minimum: Number.MIN_SAFE_INTEGER };
        push(payload, { input, ...bound, origin, inclusive: true, continue: go });
        return;
      }
    }
    if (input < minimum) {
      push(payload, { origin: 'number', input, code: 'too_small', minimum, inclusive: true, continue: go });
    }
    if (input > maximum) {
      push(payload, { origin: 'number', input, code: 'too_big', maximum, inclusive: true, continue: go });
    }
  };
  return check;
};

/** Strings are measured in code points, as zod measures them; arrays in items. */
const HIGH_SURROGATE = /[\uD800-\uDBFF]/;
const codePointLength = (text: string): number => {
  if (!HIGH_SURROGATE.test(text)) return text.length;
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    if ((text.charCodeAt(i) & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  }
  return count;
};
const lengthOrigin = (input: unknown) =>
  Array.isArray(input) ? 'array' : typeof input === 'string' ? 'string' : 'unknown';
/** zod's length checks run on anything with a length, even after the type refused it. */
const hasLength = (payload: Payload) => {
  const value = payload.value as { length?: unknown } | null | undefined;
  return value !== null && value !== undefined && value.length !== undefined;
};
const lengthOf = (input: unknown) => {
  const text = input as string | unknown[];
  return typeof text === 'string' ? codePointLength(text) : text.length;
};

export const maxLength = (maximum: number, options: CheckOptions = {}) => {
  const check = make(options, (payload, raise) => {
    const input = payload.value;
    if (lengthOf(input) <= maximum) return;
    raise({ origin: lengthOrigin(input), code: 'too_big', maximum, inclusive: true, input });
  });
  check.when = hasLength;
  check.sized = { maximum };
  return check;
};

export const minLength = (minimum: number, options: CheckOptions = {}) => {
  const check = make(options, (payload, raise) => {
    const input = payload.value;
    if (lengthOf(input) >= minimum) return;
    raise({ origin: lengthOrigin(input), code: 'too_small', minimum, inclusive: true, input });
  });
  check.when = hasLength;
  check.sized = {};
  return check;
};

/** z.regex and the pattern of a string format (datetime, date, uuid…); `inst` as for numberFormat. */
export const pattern = (format: string, regex: RegExp, options: CheckOptions = {}, inst?: Raiser): Check => {
  const check: Check = { error: options.error, check: () => {} };
  const raiser = inst ?? check;
  check.check = (payload) => {
    regex.lastIndex = 0;
    if (regex.test(payload.value as string)) return;
    payload.issues.push({
      origin: 'string',
      code: 'invalid_format',
      format,
      input: payload.value,
      pattern: regex.toString(),
      inst: raiser,
      continue: !options.abort,
    });
  };
  return check;
};

/** z.refine: a named function of a zod-free module decides. */
export const refine = (fn: (value: never) => unknown, options: CheckOptions = {}) => {
  const check: Check = { error: options.error, check: () => {} };
  check.check = (payload) => {
    const input = payload.value;
    if (fn(input as never)) return;
    payload.issues.push({ code: 'custom', input, inst: check, path: [], continue: !options.abort });
  };
  return check;
};

/** z.trim() and its kin: they change the value and raise nothing. */
export const overwrite = (tx: (value: never) => unknown): Check => ({
  check: (payload) => {
    payload.value = tx(payload.value as never);
  },
});
