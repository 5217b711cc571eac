import { GetCommand } from './document-client.js';
import { guardDatabase } from './dynamo-errors.js';
import { ENTITY, idempotencyKey } from './keys.js';
import type { TableAccess, TableItem } from './table-repository.js';

/** The stored outcome of a request made with an Idempotency-Key: replayed byte for byte. */
export interface IdempotencyRecord {
  requestHash: string;
  statusCode: number;
  body: string;
  createdAt: string;
  /** Epoch seconds; DynamoDB's TTL removes the record some time after this. */
  expiresAt: number;
}

export const idempotencyFromItem = (item: TableItem): IdempotencyRecord => {
  const { requestHash, statusCode, body, createdAt, expiresAt } = item as unknown as IdempotencyRecord;
  return { requestHash, statusCode, body, createdAt, expiresAt };
};

/**
 * The Put that stores a record inside the transaction that does the request's work: the work and
 * its record are committed together or not at all. `scope` is whom the key belongs to.
 */
export const idempotencyPut = (tableName: string, scope: string, key: string, record: IdempotencyRecord) => ({
  Put: {
    TableName: tableName,
    Item: { ...idempotencyKey(scope, key), entity: ENTITY.idempotency, ...record },
    // An expired record may linger until TTL deletes it; it no longer holds the key.
    ConditionExpression: 'attribute_not_exists(PK) OR #expiresAt <= :now',
    ExpressionAttributeNames: { '#expiresAt': 'expiresAt' },
    ExpressionAttributeValues: { ':now': Math.floor(Date.parse(record.createdAt) / 1000) },
  },
});

/** Reads the record a key holds, if any (routes whose work is not read in the same batch). */
export const readIdempotencyRecord = async (
  options: TableAccess,
  scope: string,
  key: string,
): Promise<IdempotencyRecord | null> => {
  const result = await guardDatabase(() =>
    options.db.send(
      new GetCommand({ TableName: options.tableName, Key: idempotencyKey(scope, key), ConsistentRead: true }),
    ),
  );
  const item = result.Item as TableItem | undefined;
  return item ? idempotencyFromItem(item) : null;
};

/** A record to store with a request's work: whose key (`scope`), the key, and the response. */
export interface IdempotencyWrite {
  scope: string;
  key: string;
  record: IdempotencyRecord;
}

/** A concurrent request with the same key committed first: read its record and answer with it. */
export class IdempotencyKeyTakenError extends Error {
  override readonly name = 'IdempotencyKeyTakenError';
  constructor(options?: ErrorOptions) {
    super('The Idempotency-Key was taken by a concurrent request', options);
  }
}
