import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Drops `cdp_events_invalid` (migration 0025): the data-quality report it served reads the events a range of seqs
 * at a time now, by the primary key (lib/cdp/read/quality-report.ts), and nothing else reads it; every event with a
 * violation still wrote an entry to it.
 */
export const dropInvalidEventsIndexMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('cdp_events_invalid').execute();
  },
  async down(db: Kysely<unknown>) {
    await sql`create index cdp_events_invalid on cdp_events (type, name) where violations <> '[]'`.execute(db);
  },
};
