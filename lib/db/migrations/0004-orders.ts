import { sql, type Kysely, type Migration } from 'kysely';

/** The first order number: orders read GL-10001, GL-10002, … */
const FIRST_ORDER_NUMBER = 10001;

/**
 * Orders get a short human-readable number, the state/province they ship to, and the idempotency key of the
 * checkout attempt that placed them. Existing orders are numbered in the order they were placed. Plain,
 * portable SQL (one ALTER per column, correlated subqueries): runs on SQLite and PostgreSQL alike.
 */
export const ordersMigration: Migration = {
  async up(db: Kysely<unknown>) {
    // Nullable at the SQL level (SQLite cannot add a NOT NULL column without a default); every row gets a
    // number below and every new order is given one in its transaction.
    await db.schema.alterTable('orders').addColumn('order_number', 'integer').execute();
    await db.schema.alterTable('orders').addColumn('region', 'text').execute();
    await db.schema.alterTable('orders').addColumn('idempotency_key', 'text').execute();

    await sql`update orders set order_number = ${sql.lit(FIRST_ORDER_NUMBER - 1)} + (
      select count(*) from orders earlier
      where earlier.created_at < orders.created_at
         or (earlier.created_at = orders.created_at and earlier.id <= orders.id)
    )`.execute(db);
    await db.schema.createIndex('orders_order_number').on('orders').column('order_number').unique().execute();
    // Unique, so a retried or double-clicked checkout can never store a second order (NULLs, for orders
    // placed before keys existed, do not collide).
    await db.schema.createIndex('orders_idempotency_key').on('orders').column('idempotency_key').unique().execute();

    // One row holding the last number handed out; `update … set last_number = last_number + 1 returning`
    // inside the order's transaction allocates the next one under the row's write lock.
    await db.schema
      .createTable('order_number_counter')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('last_number', 'integer', (c) => c.notNull())
      .execute();
    await sql`insert into order_number_counter (id, last_number)
      select 1, coalesce(max(order_number), ${sql.lit(FIRST_ORDER_NUMBER - 1)}) from orders`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('order_number_counter').ifExists().execute();
    await db.schema.dropIndex('orders_idempotency_key').ifExists().execute();
    await db.schema.dropIndex('orders_order_number').ifExists().execute();
    for (const column of ['idempotency_key', 'region', 'order_number'])
      await db.schema.alterTable('orders').dropColumn(column).execute();
  },
};
