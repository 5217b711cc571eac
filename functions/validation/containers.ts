/**
 * The composite types of a compiled validator — object, array, record, union and the wrappers
 * optional, nullable and default — each walking its parts as zod's do, so issues come out with the
 * same paths in the same order and the output has the same keys in the same order.
 */
import type { Check, Payload, RawIssue, TypeOptions, Validator } from './validator.js';
import { aborted, prefixIssues, validator } from './validator.js';

const isObject = (value: unknown): value is Record<PropertyKey, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isPlainObject = (value: unknown): value is Record<PropertyKey, unknown> => {
  if (!isObject(value)) return false;
  const ctor = value.constructor;
  if (ctor === undefined || typeof ctor !== 'function') return true;
  const prototype: unknown = ctor.prototype;
  return isObject(prototype) && Object.hasOwn(prototype, 'isPrototypeOf');
};

const fresh = (value: unknown): Payload => ({ value, issues: [] });

const invalidType = (payload: Payload, expected: string, inst: Validator): Payload => {
  payload.issues.push({ expected, code: 'invalid_type', input: payload.value, inst });
  return payload;
};

/** zod's handlePropertyResult: an absent optional key contributes nothing, not even its issues. */
const addProperty = (
  result: Payload,
  final: Payload & { value: Record<string, unknown> },
  key: string,
  input: Record<PropertyKey, unknown>,
  field: Validator,
) => {
  const isPresent = key in input;
  const isOptionalOut = field.optout === 'optional';
  if (!isPresent && isOptionalOut && field.optin === 'optional') return;
  if (result.issues.length) {
    if (field.optin !== undefined && isOptionalOut && !isPresent) return;
    final.issues.push(...prefixIssues(key, result.issues));
  }
  if (!isPresent && field.optin === undefined) {
    if (!result.issues.length) {
      final.issues.push({ code: 'invalid_type', expected: 'nonoptional', input: undefined, path: [key] });
    }
    return;
  }
  if (result.value === undefined) {
    if (isPresent || (field.optin === 'defaulted' && !isOptionalOut)) final.value[key] = undefined;
  } else {
    final.value[key] = result.value;
  }
};

/** z.object (unknown keys dropped) and z.strictObject (`strict`: unknown keys refused). */
export const object = <T>(
  shape: Readonly<Record<string, Validator>>,
  strict: boolean,
  options: TypeOptions = {},
) => {
  const keys = Object.keys(shape);
  const known = new Set(keys);
  return validator<T>((payload, inst) => {
    const input = payload.value;
    if (!isObject(input)) return invalidType(payload, 'object', inst);
    const final = payload as Payload & { value: Record<string, unknown> };
    final.value = {};
    for (const key of keys) {
      if (key === '__proto__') continue;
      const field = shape[key] as Validator;
      addProperty(field.run(fresh(input[key])), final, key, input, field);
    }
    if (!strict) return final;
    const unrecognized: string[] = [];
    for (const key in input) {
      if (!known.has(key)) unrecognized.push(key);
    }
    if (unrecognized.length) {
      final.issues.push({ code: 'unrecognized_keys', keys: unrecognized, input, inst, continue: true });
    }
    return final;
  }, options);
};

/**
 * The maximums among an array's leading length checks: a longer array is refused by the first it
 * breaks, before any item is parsed and with no other check run, as zod's capSize does.
 */
const leadingMaximums = (checks: readonly Check[]): [number, Check][] => {
  const caps: [number, Check][] = [];
  for (const check of checks) {
    if (!check.sized) break;
    if (check.sized.maximum !== undefined && check.sized.maximum >= 0)
      caps.push([check.sized.maximum, check]);
  }
  return caps;
};

const refusedBySize = (payload: Payload, caps: [number, Check][], inst: Validator): boolean => {
  const size = (payload.value as unknown[]).length;
  for (const [maximum, check] of caps) {
    if (size > maximum && (check.when?.(payload) ?? true)) {
      const start = payload.issues.length;
      check.check(payload);
      const first = payload.issues[start];
      if (first) first.continue = false;
      for (const issue of payload.issues.slice(start)) issue.schema ??= inst;
      return true;
    }
  }
  return false;
};

export const array = <T>(element: Validator, options: TypeOptions = {}) => {
  const caps = leadingMaximums(options.checks ?? []);
  const cap = Math.min(...caps.map(([maximum]) => maximum));
  return validator<T>((payload, inst) => {
    const input = payload.value;
    if (!Array.isArray(input)) return invalidType(payload, 'array', inst);
    if (input.length > cap && refusedBySize(payload, caps, inst)) return payload;
    const output: unknown[] = Array(input.length);
    payload.value = output;
    for (let i = 0; i < input.length; i++) {
      const result = element.run(fresh(input[i]));
      if (result.issues.length) payload.issues.push(...prefixIssues(i, result.issues));
      output[i] = result.value;
    }
    return payload;
  }, options);
};

/** zod's number pattern: a record key that fails as text is tried again as a number. */
const NUMERIC = /^-?\d+(?:\.\d+)?$/;

const keyIssue = (key: PropertyKey, inst: Validator): RawIssue => ({
  code: 'invalid_key',
  origin: 'record',
  input: key,
  path: [key],
  inst,
});

/** z.record (every key of a finite key type required) and z.partialRecord (`partial`). */
export const record = <T>(
  keyType: Validator,
  valueType: Validator,
  partial: boolean,
  options: TypeOptions = {},
) =>
  validator<T>((payload, inst) => {
    const input = payload.value;
    if (!isPlainObject(input)) return invalidType(payload, 'record', inst);
    const output: Record<PropertyKey, unknown> = {};
    payload.value = output;
    const values = keyType.values;
    const unrecognized: PropertyKey[] = [];
    const addValue = (key: PropertyKey, outKey: PropertyKey) => {
      const result = valueType.run(fresh(input[key]));
      if (result.issues.length) payload.issues.push(...prefixIssues(key, result.issues));
      output[outKey] = result.value;
    };
    if (values && !partial) {
      const recordKeys = new Set<PropertyKey>();
      for (const key of values) {
        if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'symbol') continue;
        recordKeys.add(typeof key === 'number' ? key.toString() : key);
        if (key === '__proto__') continue;
        const keyResult = keyType.run(fresh(key));
        if (keyResult.issues.length) {
          payload.issues.push(keyIssue(key, inst));
          continue;
        }
        if (keyResult.value === '__proto__') continue;
        addValue(key, keyResult.value as PropertyKey);
      }
      for (const key in input) {
        if (!recordKeys.has(key)) unrecognized.push(key);
      }
    } else {
      for (const key of Reflect.ownKeys(input)) {
        if (key === '__proto__' || !Object.prototype.propertyIsEnumerable.call(input, key)) continue;
        let keyResult = keyType.run(fresh(key));
        if (typeof key === 'string' && NUMERIC.test(key) && keyResult.issues.length) {
          const retry = keyType.run(fresh(Number(key)));
          if (retry.issues.length === 0) keyResult = retry;
        }
        if (keyResult.issues.length) {
          if (values) unrecognized.push(key);
          else payload.issues.push(keyIssue(key, inst));
          continue;
        }
        if (keyResult.value === '__proto__') continue;
        addValue(key, keyResult.value as PropertyKey);
      }
    }
    if (unrecognized.length) {
      payload.issues.push({ code: 'unrecognized_keys', input, inst, keys: unrecognized, continue: true });
    }
    return payload;
  }, options);

/** z.union: the first option that takes the value wins; if none, the one that did not abort, if one. */
export const union = <T>(options: readonly Validator[], typeOptions: TypeOptions = {}) => {
  const only = options.length === 1 ? options[0] : undefined;
  const unionValues = options.every((option) => option.values)
    ? new Set(options.flatMap((option) => [...(option.values ?? [])]))
    : undefined;
  return validator<T>(
    (payload, inst) => {
      if (only) return only.run(payload);
      const results: Payload[] = [];
      for (const option of options) {
        const result = option.run(fresh(payload.value));
        if (result.issues.length === 0) return result;
        results.push(result);
      }
      const nonaborted = results.filter((result) => !aborted(result));
      if (nonaborted.length === 1) return nonaborted[0] as Payload;
      payload.issues.push({ code: 'invalid_union', input: payload.value, inst, errors: [] });
      return payload;
    },
    typeOptions,
    {
      optin: options.some((o) => o.optin === 'defaulted')
        ? 'defaulted'
        : options.some((o) => o.optin !== undefined)
          ? 'optional'
          : undefined,
      optout: options.some((o) => o.optout === 'optional') ? 'optional' : undefined,
      values: unionValues,
    },
  );
};

const withExtra = (values: ReadonlySet<unknown> | undefined, extra: unknown) =>
  values ? new Set([...values, extra]) : undefined;

export const optional = <T>(inner: Validator, options: TypeOptions = {}) =>
  validator<T>(
    (payload) => {
      if (payload.value !== undefined) return inner.run(payload);
      if (inner.optin !== 'defaulted') return payload;
      const result = inner.run(fresh(payload.value));
      payload.value = result.issues.length ? undefined : result.value;
      return payload;
    },
    options,
    {
      optin: inner.optin === 'defaulted' ? 'defaulted' : 'optional',
      optout: 'optional',
      values: withExtra(inner.values, undefined),
    },
  );

export const nullable = <T>(inner: Validator, options: TypeOptions = {}) =>
  validator<T>((payload) => (payload.value === null ? payload : inner.run(payload)), options, {
    optin: inner.optin,
    optout: inner.optout,
    values: withExtra(inner.values, null),
  });

/** `fallback` gives a fresh default each time, as zod's shallow copy of it does. */
export const withDefault = <T>(inner: Validator, fallback: () => unknown, options: TypeOptions = {}) =>
  validator<T>(
    (payload) => {
      if (payload.value === undefined) {
        payload.value = fallback();
        return payload;
      }
      const result = inner.run(payload);
      if (result.value === undefined) result.value = fallback();
      return result;
    },
    options,
    { optin: 'defaulted', values: inner.values },
  );
