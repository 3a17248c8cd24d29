import { sql, type Kysely, type Migration } from 'kysely';
import { autoIncrementKey } from '../dialect';

/**
 * A journey pass re-evaluates a run in flight only when something can have changed for it (store/journey-due.ts), not
 * every run in flight every minute: anyone with the public key can start thousands of anonymous carts held 72 h.
 * - `journey_runs_due` (due_at, person_id) replaces `journey_runs_in_flight` (status, person_id), partial on the same
 *   statuses: the pass reads the runs whose hold or wait has come (`due_at <= now`, or none), a range of the index,
 *   instead of every run in flight. Still one index written per run in flight, as before.
 * - `journey_touches`: profiles whose events changed without a new event (a server copy replacing a browser copy,
 *   a merge, an anonymous id re-linked away), written in the ingest's transaction; the next pass re-evaluates their
 *   runs in flight and deletes the rows it read. It holds only what changed since the last pass.
 */
export const journeyRunsDueMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('journey_runs_in_flight').execute();
    await sql`create index journey_runs_due on journey_runs (due_at, person_id)
      where status in ('entered', 'held', 'waiting')`.execute(db);
    await db.schema
      .createTable('journey_touches')
      .addColumn('id', 'integer', autoIncrementKey(db))
      .addColumn('profile_id', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('journey_touches').execute();
    await db.schema.dropIndex('journey_runs_due').execute();
    await sql`create index journey_runs_in_flight on journey_runs (status, person_id)
      where status in ('entered', 'held', 'waiting')`.execute(db);
  },
};
