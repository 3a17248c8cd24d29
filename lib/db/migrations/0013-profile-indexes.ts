import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Per-profile partial indexes for journey passes (lib/cdp/store/journey-loader.ts), so a pass's work on one
 * profile is bounded by what the journeys read, not by that profile's history:
 * - an anonymous profile's journey-relevant tracks by name and time (the twin of 0012's cdp_events_person_track):
 *   a bot's 100k anonymous page tracks no longer have to be read to count its cart adds;
 * - each profile's identifies (a handful per person): loading them no longer walks every event of the profile.
 * All three are partial, so the page views and most tracks a shop stores cost one index write at most.
 */
export const profileIndexesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create index cdp_events_anonymous_track on cdp_events (anonymous_id, coalesce(canonical_name, name), timestamp)
      where type = 'track'`.execute(db);
    await sql`create index cdp_events_person_identify on cdp_events (person_id, timestamp)
      where type = 'identify'`.execute(db);
    await sql`create index cdp_events_anonymous_identify on cdp_events (anonymous_id, timestamp)
      where type = 'identify'`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    for (const name of ['cdp_events_anonymous_identify', 'cdp_events_person_identify', 'cdp_events_anonymous_track'])
      await db.schema.dropIndex(name).execute();
  },
};
