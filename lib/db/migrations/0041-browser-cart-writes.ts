import type { Kysely, Migration } from 'kysely';

/**
 * `customer_browsers.cart_set_at`: when this browser last set the customer's `cart` attribute (null: never). On a
 * shared browser, the customer it was known as keeps a `cart` only if another browser set it since
 * (lib/shop/server/tracking.ts `freshBrowserIdFor`).
 */
export const browserCartWritesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('customer_browsers').addColumn('cart_set_at', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('customer_browsers').dropColumn('cart_set_at').execute();
  },
};
