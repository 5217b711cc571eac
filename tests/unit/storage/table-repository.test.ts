/**
 * Every repository of the single table is built one way, from TableRepository: given the same
 * client and table name, each holds exactly those (no repository copies that constructor again).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TableRepository } from '../../../functions/storage/table-repository.js';

const STORAGE = join(import.meta.dirname, '../../../functions/storage');
const repositoryFiles = readdirSync(STORAGE).filter((name) => name.endsWith('-repository.ts'));

/** Every class a repository file exports whose name says it is a repository. */
const repositoryClasses = async () => {
  const classes: [string, new (access: { db: unknown; tableName: string }) => object][] = [];
  for (const file of repositoryFiles) {
    const module = (await import(join(STORAGE, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if (typeof value === 'function' && /Repository$/.test(name) && name !== 'TableRepository') {
        classes.push([name, value as (typeof classes)[number][1]]);
      }
    }
  }
  return classes;
};

describe('the repositories of the table', () => {
  it('all extend TableRepository, which holds the client and table they are given', async () => {
    const classes = await repositoryClasses();
    expect(classes.map(([name]) => name).sort()).toEqual([
      'EventRepository',
      'EventSourceRepository',
      'MilestoneRepository',
      'NoticeRepository',
      'ProjectRepository',
      'ReplayRepository',
      'SubscriptionRepository',
    ]);
    // A stand-in client: the repositories only hold it until a method sends a command.
    const db = { send: () => Promise.reject(new Error('not called')) };
    for (const [name, Repository] of classes) {
      const repository = new Repository({ db, tableName: `table-of-${name}` });
      expect(repository, name).toBeInstanceOf(TableRepository);
      expect(repository, name).toMatchObject({ db, tableName: `table-of-${name}` });
    }
  });
});
