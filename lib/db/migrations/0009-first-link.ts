import { sql, type Kysely, type Migration } from 'kysely';

/**
 * `cdp_identities.first_linked_at`: when an anonymous id was first identified. Customer.io stitches an id's
 * anonymous events received up to 5 minutes after its identify; a later one never joins the person, even when
 * the same id is identified again (only a new anonymous id brings its events along). `linked_at` moves with every
 * identify (it restarts the 5-minute window), so the first link is kept apart. Existing rows start from their
 * latest link, the best record there is.
 */
export const firstLinkMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('cdp_identities').addColumn('first_linked_at', 'text').execute();
    await sql`update cdp_identities set first_linked_at = linked_at`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('cdp_identities').dropColumn('first_linked_at').execute();
  },
};
