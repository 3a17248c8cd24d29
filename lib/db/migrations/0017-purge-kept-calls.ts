import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The retention job (purge-anonymous) now also deletes, after 30 days, the browser calls kept on their anonymous
 * profile because nothing vouched for the userId they named (`unverified_user_id`): they carry a user_id, so
 * 0016's `cdp_events_unclaimed` (user_id is null) never listed them and they stayed forever. The index now covers
 * the calls no person took in that are not identity calls (identity_check is null): anonymous events and those
 * kept calls, never an identity call held for want of a signature (identity_check 'unverified'), which stays a
 * record of what was tried. Leading columns always null, as in 0016, so SQLite's planner prefers it.
 */
export const purgeKeptCallsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('cdp_events_unclaimed').execute();
    await sql`create index cdp_events_unclaimed on cdp_events (person_id, identity_check, received_at)
      where person_id is null and identity_check is null`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('cdp_events_unclaimed').execute();
    await sql`create index cdp_events_unclaimed on cdp_events (person_id, user_id, received_at)
      where person_id is null and user_id is null`.execute(db);
  },
};
