/** Values written into a compiled validator as source text; anything that would not read back the same is refused. */
import { isDeepStrictEqual } from 'node:util';

export class CannotCompile extends Error {
  constructor(where: string, what: string) {
    super(`Cannot compile ${where}: ${what}. Teach scripts/validators/ the construct, or use one it knows.`);
  }
}

export const numberLiteral = (value: unknown, where: string): string => {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new CannotCompile(where, `${String(value)} is not a finite number`);
  }
  return Object.is(value, -0) ? '-0' : String(value);
};

/** JSON values only (strings, finite numbers, booleans, null, arrays and plain objects of them). */
export const jsonLiteral = (value: unknown, where: string): string => {
  const text = JSON.stringify(value);
  if (text === undefined || !isDeepStrictEqual(JSON.parse(text), value)) {
    throw new CannotCompile(where, `the value ${String(value)} cannot be written as JSON`);
  }
  return text;
};

export const regexLiteral = (value: unknown, where: string): string => {
  if (!(value instanceof RegExp)) throw new CannotCompile(where, 'the pattern is not a regular expression');
  const text = value.toString();
  const back = new Function(`return ${text};`)() as RegExp;
  if (back.source !== value.source || back.flags !== value.flags) {
    throw new CannotCompile(where, `the pattern ${text} does not read back the same`);
  }
  return text;
};
