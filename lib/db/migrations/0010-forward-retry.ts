import { sql, type Kysely, type Migration } from 'kysely';
import { dialectOf, epochMsType, jsonTextField } from '../dialect';

/**
 * The forward queue retries for a day and keeps each person's calls in order (lib/cdp/forward/deliver.ts):
 * - `person_key`: the call's userId, else its anonymousId; a later call of a person waits behind an earlier
 *   one still pending. Filled from the stored payloads of rows already queued.
 * - `failing_since`: wall-clock ms of a row's first failed attempt; retries go on for 24 hours from there.
 * - `failed` becomes `dead`: the dead-letter list the console shows and replays (nothing is dropped).
 */
export const forwardRetryMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('cdp_forward_queue').addColumn('person_key', 'text').execute();
    await db.schema.alterTable('cdp_forward_queue').addColumn('failing_since', epochMsType(db)).execute();
    // The column is text on both databases: PostgreSQL's ->> needs it as json.
    const payload = dialectOf(db) === 'postgres' ? sql`payload::json` : sql.ref('payload');
    await sql`update cdp_forward_queue set person_key = coalesce(${jsonTextField(db, payload, 'userId')}, ${jsonTextField(db, payload, 'anonymousId')})`.execute(
      db,
    );
    await sql`update cdp_forward_queue set status = 'dead' where status = 'failed'`.execute(db);
    await db.schema
      .createIndex('cdp_forward_queue_person')
      .on('cdp_forward_queue')
      .columns(['person_key', 'status', 'id'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('cdp_forward_queue_person').execute();
    await sql`update cdp_forward_queue set status = 'failed' where status = 'dead'`.execute(db);
    await db.schema.alterTable('cdp_forward_queue').dropColumn('failing_since').execute();
    await db.schema.alterTable('cdp_forward_queue').dropColumn('person_key').execute();
  },
};
