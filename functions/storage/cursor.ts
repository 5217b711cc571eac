import { ValidationError } from '../domain/errors.js';
import type { Province } from '../domain/provinces.js';
import { isMilestoneSortKey, projectPk, provinceMilestonesPk } from './keys.js';
import { GSI1, TABLE_KEYS } from './table-definition.js';

/**
 * History cursors. A cursor is opaque to callers: the last key of a page, base64url-encoded; the
 * next request hands it back, and only a key that this very listing could have returned is let
 * through to DynamoDB as ExclusiveStartKey. DynamoDB answers any other start key (another
 * partition, a missing or extra attribute) with an error that would otherwise be a 500.
 */
export const encodeCursor = (lastKey: Record<string, unknown>): string =>
  Buffer.from(JSON.stringify(lastKey), 'utf8').toString('base64url');

/** The listing a cursor is for: a project's history, or one province of it. */
export interface CursorListing {
  projectId: string;
  province?: Province | undefined;
}

/**
 * The last evaluated key the listing's query returns, given its sort key: the table's key pair
 * and, through the province index, that index's pair as well (a milestone's index sort key is its
 * table sort key).
 */
const expectedKey = (listing: CursorListing, sortKey: string): Record<string, string> => ({
  [TABLE_KEYS.partitionKey]: projectPk(listing.projectId),
  [TABLE_KEYS.sortKey]: sortKey,
  ...(listing.province === undefined
    ? {}
    : {
        [GSI1.partitionKey]: provinceMilestonesPk(listing.projectId, listing.province),
        [GSI1.sortKey]: sortKey,
      }),
});

const sameKey = (actual: Record<string, unknown>, expected: Record<string, string>): boolean => {
  const names = Object.keys(actual);
  return (
    names.length === Object.keys(expected).length &&
    names.every((name) => Object.hasOwn(expected, name) && actual[name] === expected[name])
  );
};

/** Accepts only a cursor this API issued for the same listing; anything else is a 400. */
export const decodeCursor = (cursor: string, listing: CursorListing): Record<string, string> => {
  const invalid = () =>
    new ValidationError('The cursor is not valid for this listing.', [
      { field: 'cursor', message: 'use the nextCursor returned by the previous page' },
    ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid();
  const sortKey: unknown = (parsed as Record<string, unknown>)[TABLE_KEYS.sortKey];
  if (typeof sortKey !== 'string' || !isMilestoneSortKey(sortKey)) throw invalid();
  const expected = expectedKey(listing, sortKey);
  if (!sameKey(parsed as Record<string, unknown>, expected)) throw invalid();
  return expected;
};
