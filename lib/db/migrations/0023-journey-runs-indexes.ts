import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Fewer, smaller indexes on `journey_runs`, which a first pass over 100k people fills with 400k rows: each index
 * is one more B-tree written per run, and its four secondary indexes took more than half of that write.
 * - `journey_runs_in_flight` replaces `journey_runs_status` (status, person_id): the pass only ever asks which
 *   profiles have a run in flight, so the index holds only those runs, a few at any time, instead of every run ever
 *   stored. Partial: the query must name the statuses literally (`profilesInFlight`), and its plan test fails if a
 *   new in-flight status leaves this list behind.
 * - `journey_runs_journey` (journey_id, status) goes: the console's counts group every run whatever the index,
 *   and its runs filtered by journey sorted all of that journey's runs for each page. `journey_runs_recent` now
 *   carries journey_id, so that filter walks the newest-first index without reading a row it does not show.
 * Kept: the id (the upsert's key) and `journey_runs_person` (every other read and write of the runs).
 * A WITHOUT ROWID table keyed by id was measured and left: its secondary indexes then carry the text id, which
 * cost more than the rowid table they save.
 */
export const journeyRunsIndexesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('journey_runs_status').execute();
    await sql`create index journey_runs_in_flight on journey_runs (status, person_id)
      where status in ('entered', 'held', 'waiting')`.execute(db);
    await db.schema.dropIndex('journey_runs_journey').execute();
    await db.schema.dropIndex('journey_runs_recent').execute();
    await db.schema
      .createIndex('journey_runs_recent')
      .on('journey_runs')
      .columns(['updated_at desc', 'id', 'journey_id'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('journey_runs_recent').execute();
    await db.schema.createIndex('journey_runs_recent').on('journey_runs').columns(['updated_at desc', 'id']).execute();
    await db.schema.createIndex('journey_runs_journey').on('journey_runs').columns(['journey_id', 'status']).execute();
    await db.schema.dropIndex('journey_runs_in_flight').execute();
    await db.schema.createIndex('journey_runs_status').on('journey_runs').columns(['status', 'person_id']).execute();
  },
};
