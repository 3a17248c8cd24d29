import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { migrations } from '@/lib/db/migrations';
import { allocateOrderNumber } from '@/lib/shop/server/order-numbers';

// A database as it was before 0004-orders, with orders in it, migrated forward: what an existing shop sees.
let db: Kysely<unknown>;
let migrator: Migrator;
beforeEach(async () => {
  db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
  migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error } = await migrator.migrateTo('0003-journeys');
  if (error) throw error;
});
afterEach(() => db.destroy());

async function insertOldOrder(id: string, createdAt: string) {
  await sql`insert into orders (id, customer_id, email, name, address_line1, city, postal_code, country,
    subtotal_cents, shipping_cents, tax_cents, total_cents, currency, created_at)
    values (${id}, 'cus_1', 'old@example.test', 'Old', '1 St', 'City', '1', 'US', 100, 0, 0, 100, 'USD', ${createdAt})`.execute(
    db,
  );
}

it('numbers existing orders by when they were placed, and new orders carry on from there', async () => {
  await sql`insert into customers (id, email, created_at, first_seen_at)
    values ('cus_1', 'old@example.test', '2024-01-01', '2024-01-01')`.execute(db);
  await insertOldOrder('ord_b', '2024-02-01T00:00:00.000Z');
  await insertOldOrder('ord_a', '2024-01-01T00:00:00.000Z');
  await insertOldOrder('ord_c', '2024-02-01T00:00:00.000Z'); // same instant as ord_b: the id breaks the tie

  const { error, results } = await migrator.migrateTo('0004-orders');
  expect(error).toBeUndefined();
  expect(results?.map((r) => [r.migrationName, r.status])).toEqual([['0004-orders', 'Success']]);

  const numbered = await sql<{ id: string; order_number: number; region: null; idempotency_key: null }>`
    select id, order_number, region, idempotency_key from orders order by order_number`.execute(db);
  expect(numbered.rows).toEqual([
    { id: 'ord_a', order_number: 10001, region: null, idempotency_key: null },
    { id: 'ord_b', order_number: 10002, region: null, idempotency_key: null },
    { id: 'ord_c', order_number: 10003, region: null, idempotency_key: null },
  ]);

  expect(await allocateOrderNumber(db as DB)).toBe(10004);
});

it('starts at GL-10001 on a shop with no orders yet', async () => {
  await migrator.migrateTo('0004-orders');
  expect(await allocateOrderNumber(db as DB)).toBe(10001);
  expect(await allocateOrderNumber(db as DB)).toBe(10002);
});

it('migrates back down cleanly', async () => {
  await migrator.migrateTo('0004-orders');
  const { error } = await migrator.migrateDown();
  expect(error).toBeUndefined();
  const columns = await sql<{ name: string }>`select name from pragma_table_info('orders')`.execute(db);
  expect(columns.rows.map((c) => c.name)).not.toContain('order_number');
  const tables = await sql<{
    name: string;
  }>`select name from sqlite_master where name = 'order_number_counter'`.execute(db);
  expect(tables.rows).toEqual([]);
});
