import type { Kysely, Migration } from 'kysely';

/**
 * `cdp_spool_stored`: the ids of ingest spool lines stored (lib/cdp/runtime/spool-drain.ts), written in the line's
 * own transaction. A process that stopped after that commit but before it noted the line as done in the spool file
 * stores it again on its next drain: this makes that a no-op instead of a second sighting of each call (and a
 * second record of each refused one). A row is deleted once the spool file says the line is done.
 */
export const spoolLedgerMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('cdp_spool_stored')
      .addColumn('entry_id', 'text', (c) => c.primaryKey())
      .addColumn('stored_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('cdp_spool_stored').ifExists().execute();
  },
};
