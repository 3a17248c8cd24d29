import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Journeys, segments and reports key a track call on the event name it was sent with (store/track-name.ts), as a
 * Customer.io campaign or segment does, no longer on its tracking-plan name: `add_to_cart` is not `Added to Cart`
 * there. The three partial indexes on track names (0012, 0013) are rebuilt on `name` under the same names, so the
 * queries and their planner checks are unchanged. `canonical_name` stays for the data-quality report (0025).
 */
const TRACK_INDEXES = [
  ['cdp_events_track_name', ''],
  ['cdp_events_person_track', 'person_id, '],
  ['cdp_events_anonymous_track', 'anonymous_id, '],
] as const;

async function rebuild(db: Kysely<unknown>, key: 'name' | 'coalesce(canonical_name, name)') {
  for (const [index, owner] of TRACK_INDEXES) {
    await db.schema.dropIndex(index).execute();
    await sql`create index ${sql.raw(index)} on cdp_events (${sql.raw(owner)}${sql.raw(key)}, timestamp)
      where type = 'track'`.execute(db);
  }
}

export const trackNameIndexesMigration: Migration = {
  up: (db) => rebuild(db, 'name'),
  down: (db) => rebuild(db, 'coalesce(canonical_name, name)'),
};
