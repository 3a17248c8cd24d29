import { type Kysely, type Migration } from 'kysely';
import { autoIncrementKey, epochMsType } from '../dialect';

// Migrations take Kysely<unknown>: they describe the schema at that point in history, not today's types.
export const cdpMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('cdp_events')
      .addColumn('seq', 'integer', autoIncrementKey(db))
      .addColumn('message_id', 'text', (c) => c.notNull().unique())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('canonical_name', 'text')
      .addColumn('anonymous_id', 'text')
      .addColumn('user_id', 'text')
      .addColumn('previous_id', 'text')
      .addColumn('group_id', 'text')
      .addColumn('person_id', 'text')
      .addColumn('timestamp', 'text', (c) => c.notNull())
      .addColumn('original_timestamp', 'text')
      .addColumn('sent_at', 'text')
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('stitched', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('attached_at', 'text')
      .addColumn('seen_by_client', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('seen_by_server', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('seen_count', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('properties', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('traits', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('context', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('violations', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
    await db.schema.createIndex('cdp_events_person').on('cdp_events').columns(['person_id', 'timestamp']).execute();
    await db.schema
      .createIndex('cdp_events_anonymous')
      .on('cdp_events')
      .columns(['anonymous_id', 'received_at'])
      .execute();
    await db.schema.createIndex('cdp_events_name').on('cdp_events').columns(['type', 'name']).execute();

    await db.schema
      .createTable('cdp_people')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('email', 'text')
      .addColumn('traits', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('first_seen_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cdp_people_email').on('cdp_people').column('email').execute();

    await db.schema
      .createTable('cdp_identities')
      .addColumn('anonymous_id', 'text', (c) => c.primaryKey())
      .addColumn('person_id', 'text', (c) => c.notNull())
      .addColumn('linked_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cdp_identities_person').on('cdp_identities').column('person_id').execute();

    await db.schema
      .createTable('cdp_merges')
      .addColumn('id', 'integer', autoIncrementKey(db))
      .addColumn('primary_id', 'text', (c) => c.notNull())
      .addColumn('secondary_id', 'text', (c) => c.notNull())
      .addColumn('merged_at', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cdp_merges_primary').on('cdp_merges').column('primary_id').execute();
    await db.schema.createIndex('cdp_merges_secondary').on('cdp_merges').column('secondary_id').execute();

    await db.schema
      .createTable('cdp_clock')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('now', 'text', (c) => c.notNull())
      // Wall time when `now` was set: the manual clock runs on from there.
      .addColumn('wall_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('cdp_forward_queue')
      .addColumn('id', 'integer', autoIncrementKey(db))
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', epochMsType(db), (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .execute();
    await db.schema
      .createIndex('cdp_forward_queue_due')
      .on('cdp_forward_queue')
      .columns(['status', 'next_attempt_at'])
      .execute();
    // Only one undelivered row per message: a duplicate that arrives while the first waits is not sent twice.
    await db.schema
      .createIndex('cdp_forward_queue_message')
      .on('cdp_forward_queue')
      .column('message_id')
      .unique()
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of [
      'cdp_forward_queue',
      'cdp_clock',
      'cdp_merges',
      'cdp_identities',
      'cdp_people',
      'cdp_events',
    ]) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};
