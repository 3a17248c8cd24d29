import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type Generated, type KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import { allowRunNow, runNow } from '@/lib/db/run-now';
import { withStatementCache } from '@/lib/db/sqlite-statements';

type Schema = { t: { id: Generated<number>; v: string } };

function setup(plugins: KyselyPlugin[] = []) {
  const sqlite = new SQLite(':memory:');
  sqlite.exec('create table t (id integer primary key, v text not null unique)');
  const database = withStatementCache(sqlite);
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database }), plugins });
  allowRunNow(db, database);
  return db;
}

const rows = (db: Kysely<Schema>) => db.selectFrom('t').select(['id', 'v']).orderBy('id').execute();

describe('runNow', () => {
  it('runs a write of a SQLite transaction at once, inside it, answering what Kysely would', async () => {
    const db = setup();
    await db.transaction().execute(async (trx) => {
      const insert = (v: string) =>
        trx
          .insertInto('t')
          .values({ v })
          .onConflict((oc) => oc.doNothing())
          .compile();
      const first = runNow(trx, insert('a'));
      expect(first).toEqual({ numAffectedRows: 1n, insertId: 1n, rows: [] });
      // Seen by the transaction's next query, as a statement run through Kysely would be.
      expect(await trx.selectFrom('t').select('v').execute()).toEqual([{ v: 'a' }]);
      // A conflict changes nothing, as the driver reports it.
      expect(runNow(trx, insert('a'))?.numAffectedRows).toBe(0n);
    });
    expect(await rows(db)).toEqual([{ id: 1, v: 'a' }]);
  });

  it('is rolled back with its transaction', async () => {
    const db = setup();
    await expect(
      db.transaction().execute(async (trx) => {
        runNow(trx, trx.insertInto('t').values({ v: 'gone' }).compile());
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await rows(db)).toEqual([]);
  });

  it('leaves the write to Kysely outside a transaction, with plugins, and on a handle not allowed', async () => {
    const outside = setup();
    expect(runNow(outside, outside.insertInto('t').values({ v: 'x' }).compile())).toBeUndefined();
    const plugin: KyselyPlugin = { transformQuery: (args) => args.node, transformResult: async (args) => args.result };
    const withPlugin = setup([plugin]);
    await withPlugin.transaction().execute(async (trx) => {
      expect(runNow(trx, trx.insertInto('t').values({ v: 'x' }).compile())).toBeUndefined();
    });
    const plain = new Kysely<Schema>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
    await plain.transaction().execute(async (trx) => {
      expect(runNow(trx, trx.insertInto('t').values({ v: 'x' }).compile())).toBeUndefined();
    });
    expect(await rows(outside)).toEqual([]);
    expect(await rows(withPlugin)).toEqual([]);
  });
});
