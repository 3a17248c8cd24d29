import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The data-quality report (lib/cdp/read/quality-report.ts) from indexes instead of every stored event: at 1.2M
 * events (SQLite) it took ~3.5 s, during which the synchronous driver held up every other request, shop included.
 * - `cdp_events_quality` (type, name, canonical_name, violations = '[]') replaces `cdp_events_name` (type, name):
 *   the report's counts read it alone, in its order, without fetching a row (SQLite walked `cdp_events_name` and
 *   fetched every row, slower than a plain scan of the table). Same prefix, so whatever used the old index (the
 *   funnel's `type = 'track'`) can use this one, and each stored event still writes one index here, not two.
 * - `cdp_events_invalid` (type, name), partial, holds only events with a violation: the report's per-kind counts
 *   read those instead of opening the (empty) violation list of every event. A valid event never writes it.
 * At 1.2M events the report went from 3.2 s to 0.18 s; inserting events cost +0.6 % CPU per row in an empty
 * database and within noise (±3 %) at 1.2M rows (better-sqlite3 alone, alternating runs); the wider entries take
 * ~30 % more room than `cdp_events_name` did (41 MB at 1.2M events).
 * Both are plain SQL on SQLite and PostgreSQL; the report names `violations = '[]'` and `violations <> '[]'`
 * literally, as the indexes do, or SQLite's planner would not use them.
 */
export const qualityIndexesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('cdp_events_name').execute();
    await sql`create index cdp_events_quality on cdp_events (type, name, canonical_name, (violations = '[]'))`.execute(
      db,
    );
    await sql`create index cdp_events_invalid on cdp_events (type, name) where violations <> '[]'`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('cdp_events_invalid').execute();
    await db.schema.dropIndex('cdp_events_quality').execute();
    await db.schema.createIndex('cdp_events_name').on('cdp_events').columns(['type', 'name']).execute();
  },
};
