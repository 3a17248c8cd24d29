import type { Kysely, Migration } from 'kysely';
import { autoIncrementKey, epochMsType } from '../dialect';

/**
 * The shop's own outbox for the events only its server sends (Order Completed): a row is written in the
 * transaction that stores the order and sent after the commit, then retried until the pipeline acknowledges it
 * (lib/shop/server/event-outbox.ts). The columns are the forward queue's (cdp_forward_queue after 0010 and
 * 0018), so both are claimed, retried and dead-lettered by the same code (lib/db/retry-queue.ts).
 */
export const shopEventOutboxMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('shop_event_outbox')
      .addColumn('id', 'integer', autoIncrementKey(db))
      .addColumn('message_id', 'text', (c) => c.notNull().unique())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', epochMsType(db), (c) => c.notNull())
      .addColumn('claimed_at', epochMsType(db))
      .addColumn('person_key', 'text')
      .addColumn('failing_since', epochMsType(db))
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .execute();
    await db.schema
      .createIndex('shop_event_outbox_due')
      .on('shop_event_outbox')
      .columns(['status', 'next_attempt_at'])
      .execute();
    await db.schema
      .createIndex('shop_event_outbox_sent')
      .on('shop_event_outbox')
      .columns(['status', 'sent_at'])
      .execute();
    await db.schema
      .createIndex('shop_event_outbox_person')
      .on('shop_event_outbox')
      .columns(['person_key', 'status', 'id'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('shop_event_outbox').execute();
  },
};
