import { createHash } from 'node:crypto';
import { ConflictError } from '../domain/errors.js';
import type { IdempotencyRecord } from '../storage/idempotency-records.js';

/** Keys are kept at least this long: a retry within a day replays the first response. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/** What a route made idempotent answers: its first response, or that response again. */
export interface IdempotentResult {
  statusCode: number;
  /** The serialised response body: a replay sends exactly these bytes again. */
  body: string;
  replayed: boolean;
}

export const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

/**
 * The fingerprint of a request under an Idempotency-Key: which operation, and what it asks for,
 * not how it was spelled (key order and whitespace do not matter).
 */
export const requestFingerprint = (operation: string, request: Record<string, unknown>): string =>
  createHash('sha256')
    .update(canonicalJson({ operation, ...request }))
    .digest('base64url');

/**
 * The response stored under the key while the key is still held (to send again), or null when
 * the key is free. A key held for a different request is refused with `idempotency-key-reused`.
 */
export const storedResponse = (
  stored: IdempotencyRecord | null,
  requestHash: string,
  at: Date,
  reusedMessage: string,
): IdempotentResult | null => {
  if (!stored || stored.expiresAt <= epochSeconds(at)) return null;
  if (stored.requestHash !== requestHash) throw new ConflictError('idempotency-key-reused', reusedMessage);
  return { statusCode: stored.statusCode, body: stored.body, replayed: true };
};

/** The record to commit with a request's work. */
export const idempotencyRecord = (
  requestHash: string,
  statusCode: number,
  body: string,
  at: Date,
): IdempotencyRecord => ({
  requestHash,
  statusCode,
  body,
  createdAt: at.toISOString(),
  expiresAt: epochSeconds(at) + IDEMPOTENCY_TTL_SECONDS,
});

/** The header an answer carries when it is a stored response sent again. */
export const replayedHeader = (result: IdempotentResult): Record<string, string> =>
  result.replayed ? { 'idempotent-replayed': 'true' } : {};
