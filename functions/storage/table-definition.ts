/**
 * The single table, declared once: CDK provisions it from this, the local runtime creates it
 * from this, and the repositories build keys against these names.
 */
export const TABLE_KEYS = {
  partitionKey: 'PK',
  sortKey: 'SK',
} as const;

/** Overloaded index: projects by year, and one province's milestones of a project. */
export const GSI1 = {
  indexName: 'GSI1',
  partitionKey: 'GSI1PK',
  sortKey: 'GSI1SK',
} as const;

/** Epoch seconds after which DynamoDB may delete the item (idempotency records). */
export const TTL_ATTRIBUTE = 'expiresAt';

/** Every attribute used in a key is a string. */
export const KEY_ATTRIBUTES = [
  TABLE_KEYS.partitionKey,
  TABLE_KEYS.sortKey,
  GSI1.partitionKey,
  GSI1.sortKey,
] as const;

export const STREAM_VIEW = 'NEW_AND_OLD_IMAGES' as const;

export const TABLE_NAME_ENV = 'TABLE_NAME';
