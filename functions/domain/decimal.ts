import { MAX_DECIMAL_PLACES } from './project.js';

const SCALE = 10 ** MAX_DECIMAL_PLACES;

/**
 * Values carry at most three decimals, so sums and differences are done on integers of
 * thousandths: 210.7 - 210.5 must be 0.2, not 0.19999999999998863, or DynamoDB's exact
 * decimal arithmetic would store the float noise in the region total forever.
 */
const toThousandths = (value: number): number => Math.round(value * SCALE);
const fromThousandths = (thousandths: number): number => thousandths / SCALE;

export const sumValues = (values: Iterable<number>): number => {
  let total = 0;
  for (const value of values) total += toThousandths(value);
  return fromThousandths(total);
};

export const subtractValues = (minuend: number, subtrahend: number): number =>
  fromThousandths(toThousandths(minuend) - toThousandths(subtrahend));

/** True when `value` is exactly what its rounding to `places` decimals gives back (1.005 yes, 1234.5678 no). */
export const hasAtMostDecimalPlaces = (value: number, places: number): boolean => {
  const scale = 10 ** places;
  return Math.round(value * scale) / scale === value;
};

/** Rounds a percentage for display and transport (two decimals, half away from zero). */
export const roundPercent = (percent: number): number => Math.round(percent * 100) / 100;
