import type { Kysely, Migration } from 'kysely';

/**
 * `serial_writers`: a table that never holds a row. PostgreSQL transactions that must not lose a serialization
 * conflict (lib/db/transaction.ts) lock it first, so they run one at a time. A table lock, not an advisory lock: a
 * SERIALIZABLE transaction takes its snapshot at its first query, and `select pg_advisory_xact_lock()` is a query,
 * so a transaction that waited there would still read as of before the holder's commit and fail as before;
 * `LOCK TABLE` takes no snapshot (PostgreSQL's LOCK documentation). Created on SQLite too, so both databases have
 * one schema; SQLite never locks it (it has one writer).
 */
export const serialWritersMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('serial_writers')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('serial_writers').ifExists().execute();
  },
};
