import { sql, type Kysely, type Migrator } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { allocateOrderNumber } from '@/lib/shop/server/order-numbers';
import { unmigratedDatabase } from '../support/database';

// A database as it was before 0004-orders, with orders in it, migrated forward: what an existing shop sees.
// A storage suite: it runs on SQLite and on PostgreSQL.
let db: DB;
let migrator: Migrator;
beforeEach(async () => {
  ({ db, migrator } = await unmigratedDatabase());
  const { error } = await migrator.migrateTo('0003-journeys');
  if (error) throw error;
});

// The tables as they were at 0003: today's types (lib/db) no longer describe them.
const old = () => db as unknown as Kysely<unknown>;

async function insertOldOrder(id: string, createdAt: string) {
  await sql`insert into orders (id, customer_id, email, name, address_line1, city, postal_code, country,
    subtotal_cents, shipping_cents, tax_cents, total_cents, currency, created_at)
    values (${id}, 'cus_1', 'old@example.test', 'Old', '1 St', 'City', '1', 'US', 100, 0, 0, 100, 'USD', ${createdAt})`.execute(
    old(),
  );
}

it('numbers existing orders by when they were placed, and new orders carry on from there', async () => {
  await sql`insert into customers (id, email, created_at, first_seen_at)
    values ('cus_1', 'old@example.test', '2024-01-01', '2024-01-01')`.execute(old());
  await insertOldOrder('ord_b', '2024-02-01T00:00:00.000Z');
  await insertOldOrder('ord_a', '2024-01-01T00:00:00.000Z');
  await insertOldOrder('ord_c', '2024-02-01T00:00:00.000Z'); // same instant as ord_b: the id breaks the tie

  const { error, results } = await migrator.migrateToLatest();
  expect(error).toBeUndefined();
  expect(results?.map((r) => [r.migrationName, r.status])).toEqual([
    ['0004-orders', 'Success'],
    ['0005-job-leases', 'Success'],
    ['0008-merged-events', 'Success'],
  ]);

  const numbered = await db
    .selectFrom('orders')
    .select(['id', 'order_number', 'region', 'idempotency_key'])
    .orderBy('order_number')
    .execute();
  expect(numbered).toEqual([
    { id: 'ord_a', order_number: 10001, region: null, idempotency_key: null },
    { id: 'ord_b', order_number: 10002, region: null, idempotency_key: null },
    { id: 'ord_c', order_number: 10003, region: null, idempotency_key: null },
  ]);

  expect(await allocateOrderNumber(db)).toBe(10004);
});

it('starts at GL-10001 on a shop with no orders yet', async () => {
  await migrator.migrateToLatest();
  expect(await allocateOrderNumber(db)).toBe(10001);
  expect(await allocateOrderNumber(db)).toBe(10002);
});

it('hands out distinct numbers to concurrent orders, and gives back the number of one that rolls back', async () => {
  await migrator.migrateToLatest();
  const numbers = await Promise.all(
    Array.from({ length: 6 }, () => db.transaction().execute((trx) => allocateOrderNumber(trx))),
  );
  expect(numbers.toSorted()).toEqual([10001, 10002, 10003, 10004, 10005, 10006]);
  await expect(
    db.transaction().execute(async (trx) => {
      await allocateOrderNumber(trx);
      throw new Error('the order failed after taking its number');
    }),
  ).rejects.toThrow('the order failed');
  expect(await allocateOrderNumber(db)).toBe(10007);
});

it('migrates back down cleanly', async () => {
  await migrator.migrateToLatest();
  const { error } = await migrator.migrateTo('0003-journeys');
  expect(error).toBeUndefined();
  await expect(sql`select order_number from orders`.execute(old())).rejects.toThrow(/order_number/);
  await expect(sql`select * from order_number_counter`.execute(old())).rejects.toThrow(/order_number_counter/);
  // The orders table itself is still there, as 0003 left it.
  expect((await sql`select id from orders`.execute(old())).rows).toEqual([]);
});
