import type { Kysely, Migration } from 'kysely';

/**
 * `outbox(person_id)`: every journey pass moves the messages of profiles that joined a person (rekeyRuns), and
 * deleting a person removes theirs. Without this index each of those was a scan of every message ever stored
 * (HTML bodies included): after a first pass over 100k people, ~200 ms of each minute's pass, growing with the
 * outbox.
 */
export const outboxPersonMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('outbox_person').on('outbox').column('person_id').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('outbox_person').execute();
  },
};
