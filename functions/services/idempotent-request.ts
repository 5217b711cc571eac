import type { Caller } from '../domain/caller.js';
import { METRIC } from '../observability/metric-names.js';
import type { Metrics } from '../observability/metrics.js';
import type { DocumentClient } from '../storage/document-client.js';
import {
  IdempotencyKeyTakenError,
  type IdempotencyWrite,
  readIdempotencyRecord,
} from '../storage/idempotency-records.js';
import type { Dependencies } from './dependencies.js';
import {
  type IdempotentResult,
  idempotencyRecord,
  requestFingerprint,
  storedResponse,
} from './idempotency.js';

/** Keys of the subscription routes belong to the caller's office: a colleague's retry is a retry. */
export const officeScope = (caller: Caller): string => `OFFICE#${caller.role}`;

/**
 * An office-scoped request of a subscription route: its Idempotency-Key (or none), fingerprinted
 * as `operation` with `request`.
 */
export const officeRequest = (
  deps: Pick<Dependencies, 'db' | 'tableName' | 'now' | 'metrics'>,
  caller: Caller,
  key: string | null,
  /** `what` names the thing a new request makes, in the detail of `409 idempotency-key-reused`. */
  fingerprint: { operation: string; request: Record<string, unknown>; what: string },
): IdempotentRequest => ({
  db: deps.db,
  tableName: deps.tableName,
  scope: officeScope(caller),
  key,
  requestHash: requestFingerprint(fingerprint.operation, fingerprint.request),
  at: deps.now(),
  reusedMessage: `This Idempotency-Key was already used for a different request; use a new key for a new ${fingerprint.what}.`,
  metrics: deps.metrics,
});

export interface IdempotentRequest {
  db: DocumentClient;
  tableName: string;
  scope: string;
  /** null: no Idempotency-Key was sent, the request is simply performed. */
  key: string | null;
  requestHash: string;
  at: Date;
  /** The detail of `409 idempotency-key-reused`. */
  reusedMessage: string;
  /** Counts the requests answered with their stored response. */
  metrics?: Metrics | undefined;
}

/**
 * What `perform` is handed: the record to commit in the same transaction as its work, for the
 * response it is about to give (`storedBody` may leave out what must not be stored, a secret).
 */
export type RecordFor = (statusCode: number, storedBody: string) => IdempotencyWrite | undefined;

/**
 * Runs a request at most once per Idempotency-Key: the stored response when the key already holds
 * one for the same request, otherwise `perform`, whose transaction stores the record with its
 * work. A concurrent request that took the key first is answered with its response.
 */
export const performIdempotently = async (
  request: IdempotentRequest,
  perform: (recordFor: RecordFor) => Promise<{ statusCode: number; body: string }>,
): Promise<IdempotentResult> => {
  const { key, scope, requestHash, at } = request;
  if (key === null) return { ...(await perform(() => undefined)), replayed: false };
  for (let attempt = 1; ; attempt++) {
    const stored = storedResponse(
      await readIdempotencyRecord(request, scope, key),
      requestHash,
      at,
      request.reusedMessage,
    );
    if (stored !== null) {
      request.metrics?.add(METRIC.idempotentReplays);
      return stored;
    }
    try {
      const answer = await perform((statusCode, storedBody) => ({
        scope,
        key,
        record: idempotencyRecord(requestHash, statusCode, storedBody, at),
      }));
      return { ...answer, replayed: false };
    } catch (error) {
      if (!(error instanceof IdempotencyKeyTakenError) || attempt >= 2) throw error;
    }
  }
};
