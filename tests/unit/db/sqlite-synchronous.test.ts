import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '@/lib/db';
import { freshDatabaseUrl } from '../support/database';

const opened: DB[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.destroy()));
});

describe('SQLite durability', () => {
  it('opens a file with synchronous=FULL, also when it is already in WAL mode (every start but the first)', async () => {
    const url = await freshDatabaseUrl();
    for (let start = 0; start < 2; start++) {
      const db = await openDatabase(url);
      opened.push(db);
      // 2 = FULL: the WAL is fsynced at every commit, so an answered request survives a power loss.
      expect((await sql<{ synchronous: number }>`pragma synchronous`.execute(db)).rows).toEqual([{ synchronous: 2 }]);
      await opened.pop()!.destroy();
    }
  });
});
