import { ValidationError } from '../domain/errors.js';
import { MILESTONE_PREFIX, projectPk } from './keys.js';

/**
 * History cursors. A cursor is opaque to callers: the last key of a page, base64url-encoded; the
 * next request hands it back, and only a key of the same project and listing is let through to
 * DynamoDB as ExclusiveStartKey.
 */
export const encodeCursor = (lastKey: Record<string, unknown>): string =>
  Buffer.from(JSON.stringify(lastKey), 'utf8').toString('base64url');

/** The attributes a milestone listing's last evaluated key has (the index adds the GSI1 pair). */
const CURSOR_FIELDS = new Set(['PK', 'SK', 'GSI1PK', 'GSI1SK']);

/** Accepts only a cursor this API issued for the same project and listing; anything else is a 400. */
export const decodeCursor = (
  cursor: string,
  projectId: string,
  byProvince: boolean,
): Record<string, string> => {
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
  const entries = Object.entries(parsed);
  if (!entries.every(([name, value]) => CURSOR_FIELDS.has(name) && typeof value === 'string'))
    throw invalid();
  const key = parsed as Record<string, string>;
  if (key.PK !== projectPk(projectId) || !key.SK?.startsWith(MILESTONE_PREFIX)) throw invalid();
  if (byProvince !== (key.GSI1PK !== undefined)) throw invalid();
  if (byProvince && !key.GSI1PK?.startsWith(`${projectPk(projectId)}#PROVINCE#`)) throw invalid();
  return key;
};
