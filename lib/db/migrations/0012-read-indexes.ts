import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Indexes for the paginated ops reads and for segments evaluated in SQL (lib/cdp/read):
 * - timelines page by (timestamp, seq) per person and per anonymous id: the index serves both the filter and the
 *   order, so any page costs what the first one does (SQLite's old (person_id, timestamp) already ended in the
 *   rowid, PostgreSQL's did not);
 * - segments start from the track events that can match: by name and time across people (`coalesce` is how the
 *   pipeline names a drifted event), and by person, name and time for each candidate's own checks. Both are
 *   partial (track calls only), so page views and identifies cost nothing extra at ingest;
 * - people, outbox and journey runs page newest first with the id as tie-breaker.
 */
export const readIndexesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('cdp_events_person').execute();
    await db.schema
      .createIndex('cdp_events_person_time')
      .on('cdp_events')
      .columns(['person_id', 'timestamp', 'seq'])
      .execute();
    await db.schema
      .createIndex('cdp_events_anonymous_time')
      .on('cdp_events')
      .columns(['anonymous_id', 'timestamp', 'seq'])
      .execute();
    await sql`create index cdp_events_track_name on cdp_events (coalesce(canonical_name, name), timestamp)
      where type = 'track'`.execute(db);
    await sql`create index cdp_events_person_track on cdp_events (person_id, coalesce(canonical_name, name), timestamp)
      where type = 'track'`.execute(db);
    await db.schema.createIndex('cdp_people_recent').on('cdp_people').columns(['last_seen_at desc', 'id']).execute();
    await db.schema.createIndex('outbox_recent').on('outbox').columns(['created_at desc', 'id']).execute();
    await db.schema.createIndex('journey_runs_recent').on('journey_runs').columns(['updated_at desc', 'id']).execute();
  },
  async down(db: Kysely<unknown>) {
    for (const name of [
      'journey_runs_recent',
      'outbox_recent',
      'cdp_people_recent',
      'cdp_events_person_track',
      'cdp_events_track_name',
      'cdp_events_anonymous_time',
      'cdp_events_person_time',
    ])
      await db.schema.dropIndex(name).execute();
    await db.schema.createIndex('cdp_events_person').on('cdp_events').columns(['person_id', 'timestamp']).execute();
  },
};
