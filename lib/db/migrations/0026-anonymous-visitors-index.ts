import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The console's anonymous visitors (lib/cdp/read/anonymous-visitors.ts), most recently seen first, from an index in
 * that order instead of grouping every event no person took in: at 1M such events the first page took ~1 s on
 * SQLite, held up every other request meanwhile, and grew with the shop's traffic. `cdp_events_visitors` holds only
 * those events (partial: no person, an anonymous id), newest last, so a page walks from its end until it has met
 * its visitors. Its entries are appended in time order (one page written per commit, like the other time-keyed
 * indexes); an event leaves it when a person takes it in. seq is named for PostgreSQL; on SQLite it is the rowid
 * every index entry ends with anyway.
 */
export const anonymousVisitorsIndexMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create index cdp_events_visitors on cdp_events (received_at, anonymous_id, seq)
      where person_id is null and anonymous_id is not null`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('cdp_events_visitors').execute();
  },
};
