import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../functions/domain/errors.js';
import { decodeCursor, encodeCursor } from '../../../functions/storage/cursor.js';

const key = { PK: 'PROJECT#rail-2024', SK: 'MILESTONE#2024-06-30#x#y' };
const provinceKey = {
  ...key,
  GSI1PK: 'PROJECT#rail-2024#PROVINCE#jiangsu',
  GSI1SK: 'MILESTONE#2024-06-30#x#y',
};

/** The error a refused cursor must be: a 400 naming the cursor field. */
const refusal = (run: () => unknown): ValidationError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('The cursor was accepted');
};

describe('history cursors', () => {
  it('are opaque: base64url, no padding, no key attribute in clear', () => {
    const cursor = encodeCursor(key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('PROJECT');
  });

  it('round-trip a last evaluated key', () => {
    expect(decodeCursor(encodeCursor(key), 'rail-2024', false)).toEqual(key);
  });

  it("round-trip a last evaluated key of the province index, with the index's attributes", () => {
    expect(decodeCursor(encodeCursor(provinceKey), 'rail-2024', true)).toEqual(provinceKey);
  });

  it("refuse a cursor from another project's history", () => {
    expect(() => decodeCursor(encodeCursor(key), 'ev-charging-2024', false)).toThrow(ValidationError);
  });

  it('refuse a cursor made for the unfiltered listing when a province is asked for', () => {
    expect(() => decodeCursor(encodeCursor(key), 'rail-2024', true)).toThrow(ValidationError);
  });

  it('refuse a cursor made for a province when the unfiltered listing is asked for', () => {
    expect(() => decodeCursor(encodeCursor(provinceKey), 'rail-2024', false)).toThrow(ValidationError);
  });

  /** What a caller could forge: any JSON, base64url-encoded. */
  const forged = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

  it.each([
    ['not base64 JSON', 'not-base64-json', false],
    ['a key of another item', forged({ PK: 'PROJECT#rail-2024', SK: 'STATE#REGION' }), false],
    ['an attribute no key has', forged({ ...key, extra: 'x' }), false],
    ['a value that is not a string', forged({ ...key, SK: 7 }), false],
    ['an array', forged([key]), false],
    ['null', forged(null), false],
    [
      "another project's province index",
      forged({ ...provinceKey, GSI1PK: 'PROJECT#ev-2024#PROVINCE#jiangsu' }),
      true,
    ],
  ] as const)('refuse a forged cursor: %s', (_, cursor, byProvince) => {
    expect(() => decodeCursor(cursor, 'rail-2024', byProvince)).toThrow(ValidationError);
  });

  it('say which field is wrong and what to send instead', () => {
    const error = refusal(() => decodeCursor('not-base64-json', 'rail-2024', false));
    expect(error.message).toBe('The cursor is not valid for this listing.');
    expect(error.issues).toEqual([
      { field: 'cursor', message: 'use the nextCursor returned by the previous page' },
    ]);
  });
});
