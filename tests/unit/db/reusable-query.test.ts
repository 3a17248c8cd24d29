import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import { paddedToPowerOfTwo, reusableQuery } from '@/lib/db/reusable-query';

type Schema = { t: { id: number; v: string } };

function setup(plugins: KyselyPlugin[] = []) {
  const sqlite = new SQLite(':memory:');
  sqlite.exec(
    "create table t (id integer primary key, v text not null); insert into t values (1, 'a'), (2, 'b'), (3, 'c')",
  );
  return new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }), plugins });
}

describe('reusableQuery', () => {
  it('builds a shape once and runs it with each call’s parameters', async () => {
    const db = setup();
    let built = 0;
    const select = (ids: number[]) =>
      reusableQuery(db, `test-select:${ids.length}`, ids, () => {
        built++;
        return db.selectFrom('t').select('v').where('id', 'in', ids).orderBy('id');
      });
    expect((await db.executeQuery(select([1, 2]))).rows).toEqual([{ v: 'a' }, { v: 'b' }]);
    expect((await db.executeQuery(select([2, 3]))).rows).toEqual([{ v: 'b' }, { v: 'c' }]);
    expect((await db.executeQuery(select([3]))).rows).toEqual([{ v: 'c' }]);
    // Two shapes (two list lengths), three runs.
    expect(built).toBe(2);
  });

  it('builds every time a query whose parameters are not the ones given, and with plugins', async () => {
    const db = setup();
    let built = 0;
    // The literal is inlined, so the compiled parameters ([1]) are not those given ([1, 'x']): not reusable.
    const odd = (id: number) =>
      reusableQuery(db, 'test-odd', [id, 'x'], () => {
        built++;
        return db.selectFrom('t').select(sql.lit('x').as('v')).where('id', '=', id);
      });
    expect((await db.executeQuery(odd(1))).rows).toEqual([{ v: 'x' }]);
    expect((await db.executeQuery(odd(2))).rows).toEqual([{ v: 'x' }]);
    expect(built).toBe(2);

    const withPlugin = setup([{ transformQuery: (args) => args.node, transformResult: async (args) => args.result }]);
    let rebuilt = 0;
    for (const id of [1, 2])
      await withPlugin.executeQuery(
        reusableQuery(withPlugin, 'test-plugin', [id], () => {
          rebuilt++;
          return withPlugin.selectFrom('t').select('v').where('id', '=', id);
        }),
      );
    expect(rebuilt).toBe(2);
  });

  it('pads an id list to a power of two with its last id', () => {
    expect(paddedToPowerOfTwo([])).toEqual([]);
    expect(paddedToPowerOfTwo(['a'])).toEqual(['a']);
    expect(paddedToPowerOfTwo(['a', 'b', 'c'])).toEqual(['a', 'b', 'c', 'c']);
    expect(paddedToPowerOfTwo([1, 2, 3, 4, 5])).toHaveLength(8);
  });
});
