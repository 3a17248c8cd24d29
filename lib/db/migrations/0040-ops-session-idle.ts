import type { Kysely, Migration } from 'kysely';

/**
 * `ops_sessions.last_seen_at`: when a console session was last used (recorded at most once a minute), so one left
 * unused ends before its expiry (lib/cdp/store/ops-sessions.ts). Null on sessions made before: their sign-in counts.
 */
export const opsSessionIdleMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('ops_sessions').addColumn('last_seen_at', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('ops_sessions').dropColumn('last_seen_at').execute();
  },
};
