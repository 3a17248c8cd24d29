import { sql, type Kysely, type Migration } from 'kysely';

/**
 * `User Deleted` also deletes the calls that name the person's userId but stayed on a browser never linked to them
 * (no person_id: an `unverified_user_id` call, an unsigned identify). They are few; the anonymous events around
 * them are not, so they get an index of their own instead of a read of every event no person took in.
 */
export const namedUserIndexMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create index cdp_events_named_user on cdp_events (user_id)
      where person_id is null and user_id is not null`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('cdp_events_named_user').execute();
  },
};
