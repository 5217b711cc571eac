/** The leaf types of a compiled validator: what zod's string, number, boolean, enum and literal parse. */
import type { Check, Payload, TypeOptions, Validator } from './validator.js';
import { validator } from './validator.js';

const invalidType = (payload: Payload, expected: string, inst: Validator, extra: object = {}): Payload => {
  payload.issues.push({ expected, code: 'invalid_type', input: payload.value, inst, ...extra });
  return payload;
};

/** z.coerce: the value as `to` makes it, or as it was if that throws (a symbol to String). */
const coerce = (payload: Payload, to: (value: unknown) => unknown) => {
  try {
    payload.value = to(payload.value);
  } catch {}
};

/** `self` is the format check a string format (url, datetime, uuid…) is itself. */
export const string = <T = string>(options: TypeOptions = {}, self?: (inst: Validator<T>) => Check) =>
  validator<T>(
    (payload, inst) => {
      if (options.coerce) coerce(payload, String);
      return typeof payload.value === 'string' ? payload : invalidType(payload, 'string', inst);
    },
    options,
    {},
    self,
  );

/** `self` is the integer check `z.int()` is itself. */
export const number = <T = number>(options: TypeOptions = {}, self?: (inst: Validator<T>) => Check) =>
  validator<T>(
    (payload, inst) => {
      if (options.coerce) coerce(payload, Number);
      const input = payload.value;
      if (typeof input === 'number' && Number.isFinite(input)) return payload;
      const received = typeof input === 'number' ? (Number.isNaN(input) ? 'NaN' : String(input)) : undefined;
      return invalidType(payload, 'number', inst, received ? { received } : {});
    },
    options,
    {},
    self,
  );

export const boolean = <T = boolean>(options: TypeOptions = {}) =>
  validator<T>((payload, inst) => {
    if (options.coerce) coerce(payload, Boolean);
    return typeof payload.value === 'boolean' ? payload : invalidType(payload, 'boolean', inst);
  }, options);

export const never = <T = never>(options: TypeOptions = {}) =>
  validator<T>((payload, inst) => invalidType(payload, 'never', inst), options);

/** z.enum and z.literal: one of a few values, named in the issue. */
const oneOf =
  <T>(values: readonly unknown[]) =>
  (options: TypeOptions = {}) => {
    const accepted = new Set(values);
    return validator<T>(
      (payload, inst) => {
        if (accepted.has(payload.value)) return payload;
        payload.issues.push({ code: 'invalid_value', values, input: payload.value, inst });
        return payload;
      },
      options,
      { values: accepted },
    );
  };

export const picklist = <T>(values: readonly unknown[], options: TypeOptions = {}) =>
  oneOf<T>(values)(options);
export const literal = <T>(values: readonly unknown[], options: TypeOptions = {}) =>
  oneOf<T>(values)(options);
