import type { Kysely, Migration } from 'kysely';

/**
 * The messageIds of the person actions carried out (`User Deleted`, `User Suppressed`, `User Unsuppressed`). Those
 * calls are not stored as events (that would keep the id a person asked to have removed), so without this a retried
 * old deletion would find no copy of itself and delete the person created since. Holds no id of the person.
 */
export const personActionsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('cdp_person_actions')
      .addColumn('message_id', 'text', (c) => c.primaryKey())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('cdp_person_actions').ifExists().execute();
  },
};
