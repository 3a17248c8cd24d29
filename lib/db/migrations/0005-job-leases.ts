import type { Kysely, Migration } from 'kysely';
import { epochMsType } from '../dialect';

/**
 * Leases that let several app instances share one database and still run each job once (lib/db/leases.ts).
 * Times are epoch ms on the database server's clock, so instances with drifting clocks agree.
 */
export const jobLeasesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('job_leases')
      .addColumn('name', 'text', (c) => c.primaryKey())
      // The claim holding the lease (a random token per claim), null once released.
      .addColumn('holder', 'text')
      // The lease is free once this has passed: a crashed holder stops renewing it and loses it.
      .addColumn('expires_at', epochMsType(db), (c) => c.notNull().defaultTo(0))
      // When the job last started on any instance: "at most once per interval" is measured from here.
      .addColumn('started_at', epochMsType(db), (c) => c.notNull().defaultTo(0))
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('job_leases').ifExists().execute();
  },
};
