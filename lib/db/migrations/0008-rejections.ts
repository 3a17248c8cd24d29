import type { Kysely, Migration } from 'kysely';
import { autoIncrementKey } from '../dialect';

/**
 * Issue 10 §1 (answers like Customer.io, losing nothing): every call the ingest refuses is recorded with its
 * reason, so a permissive 200 never hides a loss; and the user ids a `User Suppressed` call suppressed, kept out
 * until `User Unsuppressed`. Plain text columns (the refused call is JSON text, escaped, so a NUL or a lone
 * surrogate in it cannot break PostgreSQL): portable to SQLite and PostgreSQL.
 */
export const rejectionsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('cdp_rejections')
      .addColumn('id', 'integer', autoIncrementKey(db))
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('endpoint', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('problems', 'text', (c) => c.notNull())
      .addColumn('call', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text')
      .addColumn('strict', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('cdp_rejections_received_at').on('cdp_rejections').column('received_at').execute();
    await db.schema
      .createTable('cdp_suppressions')
      .addColumn('user_id', 'text', (c) => c.primaryKey())
      .addColumn('suppressed_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('cdp_suppressions').ifExists().execute();
    await db.schema.dropTable('cdp_rejections').ifExists().execute();
  },
};
