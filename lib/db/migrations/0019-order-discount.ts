import type { Kysely, Migration } from 'kysely';

/**
 * The welcome code's discount on an order (lib/shop/domain/welcome-code.ts): `discount_cents` comes off the
 * subtotal before tax, `discount_code` is the code applied (NULL when none). Orders placed before read as no
 * discount. Plain portable ALTERs: SQLite and PostgreSQL alike.
 */
export const orderDiscountMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('orders')
      .addColumn('discount_cents', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('orders').addColumn('discount_code', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('orders').dropColumn('discount_code').execute();
    await db.schema.alterTable('orders').dropColumn('discount_cents').execute();
  },
};
