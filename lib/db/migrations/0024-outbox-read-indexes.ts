import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The console's outbox filters walk an index in the order they show, newest first with the id as tie-breaker,
 * instead of sorting every matching email: a journey pass stamps all the emails it sends with one `created_at`, so
 * at 100k people `?journey=` sorted ~33k emails for each page of 100 (429 ms), and `?to=` (matched on
 * `lower(to_email)`, which `outbox_to` on the bare column could not serve) read every email (194 ms). Each index
 * replaces one, so sending an email writes as many B-trees as before.
 */
export const outboxReadIndexesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('outbox_journey').execute();
    await db.schema
      .createIndex('outbox_journey')
      .on('outbox')
      .columns(['journey_id', 'created_at desc', 'id'])
      .execute();
    await db.schema.dropIndex('outbox_to').execute();
    await sql`create index outbox_to on outbox (lower(to_email), created_at desc, id)`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('outbox_to').execute();
    await db.schema.createIndex('outbox_to').on('outbox').column('to_email').execute();
    await db.schema.dropIndex('outbox_journey').execute();
    await db.schema.createIndex('outbox_journey').on('outbox').columns(['journey_id', 'created_at']).execute();
  },
};
