import { sql, type Transaction } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database, DB } from '@/lib/db';
import { groupedTransaction, MAX_GROUP_SIZE } from '@/lib/db/grouped-transaction';
import { freshDb, onPostgres } from '../support/database';

async function setup() {
  const db = await freshDb();
  // PostgreSQL's test schemas are reused (emptied of the app's tables only).
  await sql`drop table if exists grouped_rows`.execute(db);
  await sql`create table grouped_rows (v text primary key)`.execute(db);
  return db;
}

const rows = async (db: DB) =>
  (await sql<{ v: string }>`select v from grouped_rows order by v`.execute(db)).rows.map((r) => r.v);

/** A work that inserts `v`, counting its runs, and answers what it saw before its insert. */
function inserting(v: string, runs: Map<string, number>) {
  return async (trx: Transaction<Database>) => {
    runs.set(v, (runs.get(v) ?? 0) + 1);
    const before = (await sql<{ v: string }>`select v from grouped_rows order by v`.execute(trx)).rows.map((r) => r.v);
    await sql`insert into grouped_rows (v) values (${v})`.execute(trx);
    return before;
  };
}

describe('groupedTransaction (lib/db/grouped-transaction.ts)', () => {
  it('runs works that arrive together in arrival order, each seeing the ones before it, and commits them all', async () => {
    const db = await setup();
    const runs = new Map<string, number>();
    const seen = await Promise.all(['a', 'b', 'c'].map((v) => groupedTransaction(db, inserting(v, runs))));
    // PostgreSQL runs them side by side: any serial order.
    if (!onPostgres) expect(seen).toEqual([[], ['a'], ['a', 'b']]);
    expect(await rows(db)).toEqual(['a', 'b', 'c']);
  });

  it("gives a work's error to its caller alone: its writes are undone, the others' committed", async () => {
    const db = await setup();
    const runs = new Map<string, number>();
    const [first, second, third] = await Promise.allSettled([
      groupedTransaction(db, inserting('a', runs)),
      groupedTransaction(db, async (trx) => {
        await inserting('bad', runs)(trx);
        throw new Error('refused');
      }),
      groupedTransaction(db, inserting('c', runs)),
    ]);
    expect(second).toMatchObject({ status: 'rejected', reason: new Error('refused') });
    expect([first.status, third.status]).toEqual(['fulfilled', 'fulfilled']);
    // In arrival order on SQLite, and the third never saw the failed work's row.
    if (!onPostgres)
      expect([first, third]).toEqual([
        { status: 'fulfilled', value: [] },
        { status: 'fulfilled', value: ['a'] },
      ]);
    expect(await rows(db)).toEqual(['a', 'c']);
    // On SQLite they shared a transaction: the one before the failure ran again, without it. (PostgreSQL gives each
    // its own, which it may run again after a serialization conflict.)
    if (!onPostgres) expect(Object.fromEntries(runs)).toEqual({ a: 2, bad: 1, c: 1 });
  });

  it('runs every other work at most twice however many works of its group fail', async () => {
    const db = await setup();
    const runs = new Map<string, number>();
    const failing = (v: string) => async (trx: Transaction<Database>) => {
      await inserting(v, runs)(trx);
      throw new Error(`refused ${v}`);
    };
    const names = ['a', 'x1', 'b', 'x2', 'c', 'x3', 'd'];
    const outcomes = await Promise.allSettled(
      names.map((v) => groupedTransaction(db, v.startsWith('x') ? failing(v) : inserting(v, runs))),
    );
    expect(outcomes.map((o) => o.status)).toEqual(names.map((v) => (v.startsWith('x') ? 'rejected' : 'fulfilled')));
    expect(await rows(db)).toEqual(['a', 'b', 'c', 'd']);
    // (PostgreSQL's own retries after serialization conflicts are not the group's.)
    if (!onPostgres) for (const v of ['a', 'b', 'c', 'd']) expect(runs.get(v)).toBeLessThanOrEqual(2);
  });

  it('keeps a group within MAX_GROUP_SIZE: works beyond it commit in a group of their own', async () => {
    const db = await setup();
    const runs = new Map<string, number>();
    const big = Math.ceil(MAX_GROUP_SIZE / 2) + 1;
    const outcomes = await Promise.allSettled([
      groupedTransaction(db, inserting('a', runs), { size: big }),
      groupedTransaction(
        db,
        async () => {
          throw new Error('refused');
        },
        { size: big },
      ),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected']);
    // Not in the failed work's group, so not run again.
    expect(runs.get('a')).toBe(1);
  });

  it('refuses each failing work with its own error and goes on with the next group (nothing stalls)', async () => {
    const db = await setup();
    const runs = new Map<string, number>();
    await sql`drop table grouped_rows`.execute(db);
    const outcomes = await Promise.allSettled(['a', 'b'].map((v) => groupedTransaction(db, inserting(v, runs))));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    await sql`create table grouped_rows (v text primary key)`.execute(db);
    await expect(groupedTransaction(db, inserting('c', runs))).resolves.toEqual([]);
    expect(await rows(db)).toEqual(['c']);
  });

  it('takes a work that arrives while a group runs into the next group, after that one committed', async () => {
    const db = await setup();
    const runs = new Map<string, number>();
    let late: Promise<string[]> | undefined;
    await groupedTransaction(db, async (trx) => {
      // Once: on PostgreSQL the two are concurrent serializable transactions, and the one that loses a write skew is
      // run again (serializableTransaction), which must not submit a second 'b'.
      late ??= groupedTransaction(db, inserting('b', runs));
      return inserting('a', runs)(trx);
    });
    // Nothing else arrives to start a group: the first one's end must.
    const seen = await late!;
    if (!onPostgres) expect(seen).toEqual(['a']);
    expect(await rows(db)).toEqual(['a', 'b']);
  });
});
