import { sql, type Kysely, type Migration } from 'kysely';

/**
 * `cdp_forward_queue_held`: identity calls held for failing verification, by arrival, for the minute's purge of
 * those older than the data-quality log's 30 days (lib/cdp/store/forward-queue.ts `purgeHeldForwards`). Partial, so
 * the forwarder's rows cost nothing extra.
 */
export const heldForwardRetentionMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create index cdp_forward_queue_held on cdp_forward_queue (status, created_at)
      where status = 'held'`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('cdp_forward_queue_held').execute();
  },
};
