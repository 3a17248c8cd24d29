import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from '@/lib/db/sqlite-statements';

type Schema = { t: { id: number; v: string } };

/** A real in-memory connection whose compilations are counted, and Kysely on top of it through the cache. */
function setup() {
  const sqlite = new SQLite(':memory:');
  sqlite.exec('create table t (id integer primary key, v text not null)');
  let compiled = 0;
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    compiled++;
    return prepare(source);
  }) as typeof sqlite.prepare;
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, compiled: () => compiled };
}

describe('the SQLite prepared-statement cache', () => {
  it('compiles each SQL text once, whatever its values', async () => {
    const { db, compiled } = setup();
    for (let id = 1; id <= 20; id++)
      await db
        .insertInto('t')
        .values({ id, v: `row ${id}` })
        .execute();
    const rows = await Promise.all(
      [3, 7, 11].map((id) => db.selectFrom('t').select('v').where('id', '=', id).executeTakeFirstOrThrow()),
    );
    expect(rows.map((r) => r.v)).toEqual(['row 3', 'row 7', 'row 11']);
    expect(compiled()).toBe(2);
    await db.destroy();
  });

  it('gives a query that runs while the same statement is still streaming a fresh one', () => {
    const sqlite = new SQLite(':memory:');
    sqlite.exec('create table t (id integer primary key); insert into t values (1), (2);');
    const cache = withStatementCache(sqlite);
    const text = 'select id from t order by id';
    const products: number[] = [];
    for (const outer of cache.prepare(text).iterate([]) as Iterable<{ id: number }>) {
      for (const inner of cache.prepare(text).all([]) as { id: number }[]) products.push(outer.id * inner.id);
    }
    expect(products).toEqual([1, 2, 2, 4]);
    cache.close();
  });

  it('keeps working across transactions and after a rollback', async () => {
    const { db } = setup();
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ id: 1, v: 'kept' }).execute();
    });
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('t').values({ id: 2, v: 'rolled back' }).execute();
        await trx.insertInto('t').values({ id: 1, v: 'duplicate' }).execute();
      }),
    ).rejects.toThrow(/UNIQUE/);
    expect(await db.selectFrom('t').select('v').execute()).toEqual([{ v: 'kept' }]);
    await db.destroy();
  });

  it('reads rows exactly as better-sqlite3 builds them: same keys in the same order, duplicates and odd names too', () => {
    const sqlite = new SQLite(':memory:');
    sqlite.exec(`create table t (id integer primary key, v text, n real, b blob);
      insert into t values (1, 'a', 1.5, x'00ff'), (2, null, null, null)`);
    const cache = withStatementCache(sqlite);
    for (const text of [
      'select * from t order by id',
      'select v, id, v from t order by id',
      'select id as "a b", v as "x""y", id as "constructor", n as "__proto__" from t order by id',
      'select 1 as one where 0',
    ]) {
      const expected = sqlite.prepare(text).all();
      for (let i = 0; i < 2; i++) {
        const rows = cache.prepare(text).all([]) as object[];
        expect(rows, text).toEqual(expected);
        expect(
          rows.map((r) => Object.keys(r)),
          text,
        ).toEqual(expected.map((r) => Object.keys(r as object)));
        expect(
          rows.map((r) => Object.getPrototypeOf(r)),
          text,
        ).toEqual(expected.map((r) => Object.getPrototypeOf(r)));
      }
      expect([...(cache.prepare(text).iterate([]) as Iterable<object>)], text).toEqual(expected);
    }
    cache.close();
  });

  it('follows a schema change that re-prepares a cached select', () => {
    const sqlite = new SQLite(':memory:');
    sqlite.exec('create table t (id integer primary key); insert into t values (1)');
    const cache = withStatementCache(sqlite);
    expect(cache.prepare('select * from t').all([])).toEqual([{ id: 1 }]);
    sqlite.exec("alter table t add column v text default 'x'");
    expect(cache.prepare('select * from t').all([])).toEqual([{ id: 1, v: 'x' }]);
    cache.close();
  });
});
