import type { Kysely, Migration } from 'kysely';

/**
 * `journey_runs(status)`: every journey pass looks up the runs still in flight. Without this index that is a scan
 * of every run ever stored (300k after a first pass over 100k people), on each minute's pass.
 */
export const journeyRunsStatusMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('journey_runs_status').on('journey_runs').columns(['status', 'person_id']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('journey_runs_status').execute();
  },
};
