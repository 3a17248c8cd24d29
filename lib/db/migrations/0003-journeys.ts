import { sql, type Kysely, type Migration } from 'kysely';

// Journey runs, the outbox and the runner's cursor. Kysely<unknown>: the schema as it was at this point.
export const journeysMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('journey_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('journey_id', 'text', (c) => c.notNull())
      .addColumn('person_id', 'text', (c) => c.notNull())
      .addColumn('trigger_seq', 'integer', (c) => c.notNull())
      .addColumn('anchor_seq', 'integer', (c) => c.notNull())
      .addColumn('anchor_at', 'text', (c) => c.notNull())
      .addColumn('entered_at', 'text', (c) => c.notNull())
      .addColumn('email_at_trigger', 'integer', (c) => c.notNull())
      .addColumn('shadow', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('detail', 'text')
      .addColumn('due_at', 'text')
      .addColumn('ended_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('journey_runs_person').on('journey_runs').column('person_id').execute();
    await db.schema.createIndex('journey_runs_journey').on('journey_runs').columns(['journey_id', 'status']).execute();

    await db.schema
      .createTable('outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('journey_id', 'text', (c) => c.notNull())
      .addColumn('person_id', 'text', (c) => c.notNull())
      .addColumn('to_email', 'text', (c) => c.notNull())
      .addColumn('template_id', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('html', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('restore_url', 'text')
      .addColumn('scheduled_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('outbox_to').on('outbox').column('to_email').execute();
    await db.schema.createIndex('outbox_journey').on('outbox').columns(['journey_id', 'created_at']).execute();

    await db.schema
      .createTable('journey_state')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('horizon_seq', 'integer', (c) => c.notNull())
      .addColumn('cursor_seq', 'integer', (c) => c.notNull())
      .addColumn('last_run_at', 'text')
      .execute();
    // The horizon: events already stored when journeys are installed never trigger one (no mail for old carts).
    await sql`insert into journey_state (id, horizon_seq, cursor_seq)
      select 1, coalesce(max(seq), 0), coalesce(max(seq), 0) from cdp_events`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['journey_state', 'outbox', 'journey_runs'])
      await db.schema.dropTable(table).ifExists().execute();
  },
};
