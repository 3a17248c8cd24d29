import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Issue 9 (a pipeline nobody can hijack): what the pipeline knows about who sent each event and which email a
 * trusted call set, the browsers the shop itself identified as each customer, and console sessions kept on the
 * server. Plain, portable SQL (one ALTER per column, no JSON functions): runs on SQLite and PostgreSQL alike.
 */
export const trustMigration: Migration = {
  async up(db: Kysely<unknown>) {
    // 1 when the stored properties/traits are a copy sent with the server write key (server-confirmed).
    await db.schema
      .alterTable('cdp_events')
      .addColumn('trusted', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    // Identity-changing calls only (identify with a userId, alias): `server`, `signed` or `unverified`.
    await db.schema.alterTable('cdp_events').addColumn('identity_check', 'text').execute();
    // Before this migration the pipeline believed every call that named the node SDK or used Basic auth; those
    // copies are the best record there is of what the server sent, so they stay trusted.
    await sql`update cdp_events set trusted = seen_by_server`.execute(db);

    // The latest email a trusted call (server key, or a signed identify covering it) set: where messages may go.
    await db.schema.alterTable('cdp_people').addColumn('email_trusted', 'text').execute();
    await db.schema.alterTable('cdp_people').addColumn('email_trusted_at', 'text').execute();
    // Until now only identify calls the pipeline trusted could set an email, so existing ones are kept.
    await sql`update cdp_people set email_trusted = email, email_trusted_at = updated_at where email is not null`.execute(
      db,
    );

    // Browsers (anonymous ids) the shop identified as a customer: proof that a browser already is that customer.
    await db.schema
      .createTable('customer_browsers')
      .addColumn('anonymous_id', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
      .addColumn('linked_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('customer_browsers_pk', ['anonymous_id', 'customer_id'])
      .execute();

    // One row per console sign-in; the cookie holds a random token, the row only its hash.
    await db.schema
      .createTable('ops_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('ops_sessions').ifExists().execute();
    await db.schema.dropTable('customer_browsers').ifExists().execute();
    for (const column of ['email_trusted_at', 'email_trusted'])
      await db.schema.alterTable('cdp_people').dropColumn(column).execute();
    for (const column of ['identity_check', 'trusted'])
      await db.schema.alterTable('cdp_events').dropColumn(column).execute();
  },
};
