import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../functions/domain/errors.js';
import { decodeCursor, encodeCursor } from '../../../functions/storage/cursor.js';

const SORT_KEY = 'MILESTONE#2024-06-30#2024-07-01T02:00:00.000Z#0b6f1c2e-5d0a-4d8e-9a57-2f1d7c3b9e41';
const key = { PK: 'PROJECT#rail-2024', SK: SORT_KEY };
const provinceKey = { ...key, GSI1PK: 'PROJECT#rail-2024#PROVINCE#jiangsu', GSI1SK: SORT_KEY };
const RAIL = { projectId: 'rail-2024' };
const RAIL_JIANGSU = { projectId: 'rail-2024', province: 'jiangsu' } as const;

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
    expect(decodeCursor(encodeCursor(key), RAIL)).toEqual(key);
  });

  it("round-trip a last evaluated key of the province index, with the index's attributes", () => {
    expect(decodeCursor(encodeCursor(provinceKey), RAIL_JIANGSU)).toEqual(provinceKey);
  });

  it("refuse a cursor from another project's history", () => {
    expect(() => decodeCursor(encodeCursor(key), { projectId: 'ev-charging-2024' })).toThrow(ValidationError);
  });

  it('refuse a cursor made for the unfiltered listing when a province is asked for', () => {
    expect(() => decodeCursor(encodeCursor(key), RAIL_JIANGSU)).toThrow(ValidationError);
  });

  it('refuse a cursor made for a province when the unfiltered listing is asked for', () => {
    expect(() => decodeCursor(encodeCursor(provinceKey), RAIL)).toThrow(ValidationError);
  });

  it("refuse a cursor made for another province's listing of the same project", () => {
    expect(() => decodeCursor(encodeCursor(provinceKey), { ...RAIL_JIANGSU, province: 'anhui' })).toThrow(
      ValidationError,
    );
  });

  /** What a caller could forge: any JSON, base64url-encoded. */
  const forged = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  const { GSI1SK: _, ...withoutIndexSortKey } = provinceKey;

  it.each([
    ['not base64 JSON', 'not-base64-json', RAIL],
    ['a key of another item', forged({ PK: 'PROJECT#rail-2024', SK: 'STATE#REGION' }), RAIL],
    ['an attribute no key has', forged({ ...key, extra: 'x' }), RAIL],
    ['an index attribute on the unfiltered listing', forged({ ...key, GSI1SK: SORT_KEY }), RAIL],
    ['a province key without its index sort key', forged(withoutIndexSortKey), RAIL_JIANGSU],
    ['a province key without its table sort key', forged({ ...provinceKey, SK: undefined }), RAIL_JIANGSU],
    [
      'an index sort key other than the table sort key',
      forged({ ...provinceKey, GSI1SK: 'MILESTONE#' }),
      RAIL_JIANGSU,
    ],
    ['a sort key that is only the prefix', forged({ ...key, SK: 'MILESTONE#' }), RAIL],
    ['a sort key longer than DynamoDB takes', forged({ ...key, SK: `${SORT_KEY}${'9'.repeat(1100)}` }), RAIL],
    ['a sort key with a lone surrogate', forged({ ...key, SK: `${SORT_KEY.slice(0, -1)}\ud800` }), RAIL],
    ['a value that is not a string', forged({ ...key, SK: 7 }), RAIL],
    ['a partition key that is not a string', forged({ ...key, PK: ['PROJECT#rail-2024'] }), RAIL],
    ['an array', forged([key]), RAIL],
    ['null', forged(null), RAIL],
    ['a number', forged(7), RAIL],
    [
      "another project's province index",
      forged({ ...provinceKey, GSI1PK: 'PROJECT#ev-2024#PROVINCE#jiangsu' }),
      RAIL_JIANGSU,
    ],
  ] as const)('refuse a forged cursor: %s', (_, cursor, listing) => {
    expect(() => decodeCursor(cursor, listing)).toThrow(ValidationError);
  });

  it('say which field is wrong and what to send instead', () => {
    const error = refusal(() => decodeCursor('not-base64-json', RAIL));
    expect(error.message).toBe('The cursor is not valid for this listing.');
    expect(error.issues).toEqual([
      { field: 'cursor', message: 'use the nextCursor returned by the previous page' },
    ]);
  });
});
