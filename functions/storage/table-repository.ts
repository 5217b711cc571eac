import type { DocumentClient } from './document-client.js';

/** Where a repository reads and writes: the document client and the single table's name. */
export interface TableAccess {
  db: DocumentClient;
  tableName: string;
}

/** An item as the document client returns it, before a repository reads its own shape out of it. */
export type TableItem = Record<string, unknown>;

/**
 * What every repository of the single table starts from: the client and the table it was given,
 * the same for all, so each repository holds only its own keys and queries.
 */
export abstract class TableRepository {
  protected readonly db: DocumentClient;
  protected readonly tableName: string;

  constructor(access: TableAccess) {
    this.db = access.db;
    this.tableName = access.tableName;
  }
}
