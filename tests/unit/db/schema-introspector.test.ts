import crypto from 'node:crypto';
import { PostgresIntrospector, sql, type DatabaseIntrospector } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { AppSchemaIntrospector } from '@/lib/db/schema-introspector';
import { freshDb } from '../support/database';

// PostgreSQL only (vitest project `postgres`): the migrator's question "do my tables exist?" must not read other
// schemas. Kysely's own introspector opened every table of every schema, so one that another session was dropping
// failed the app's migrations ("relation … does not exist": seen when two test workers shared the database).

const dropped: string[] = [];
let db: DB;
afterEach(async () => {
  for (const schema of dropped.splice(0)) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
});

/** A schema beside the app's, holding one table with a serial column (what pg_get_serial_sequence opens). */
async function otherSchema(): Promise<string> {
  const schema = `other_${crypto.randomBytes(4).toString('hex')}`;
  dropped.push(schema);
  await sql`create schema ${sql.id(schema)}`.execute(db);
  await sql`create table ${sql.id(schema, 'neighbour')} (id serial primary key)`.execute(db);
  return schema;
}

/**
 * Lists tables in a transaction that began before another session dropped the other schema's table: its snapshot
 * still shows the table, as a listing running when the drop commits does, while looking the table up by name no
 * longer finds it.
 */
async function tablesAfterDrop(introspect: (trx: DB) => DatabaseIntrospector, schema: string) {
  let listed: { tables: unknown[] } | { error: string } | undefined;
  // Read-only: rolled back at the end (a failed statement leaves it to roll back anyway).
  await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await sql`select 1`.execute(trx); // the snapshot is taken at the first statement
      await sql`drop table ${sql.id(schema, 'neighbour')}`.execute(db);
      listed = await introspect(trx)
        .getTables()
        .then(
          (tables) => ({ tables }),
          (error: Error) => ({ error: error.message }),
        );
      throw new Error('rollback');
    })
    .catch(() => undefined);
  return listed;
}

it("lists the app's own tables and Kysely's, and nothing of another schema", async () => {
  db = await freshDb();
  const schema = await otherSchema();
  const tables = await db.introspection.getTables();
  const names = tables.map((t) => t.name);
  expect(names).toEqual(expect.arrayContaining(['orders', 'customers', 'kysely_migration', 'kysely_migration_lock']));
  expect(new Set(tables.map((t) => t.schema))).toEqual(
    new Set([(await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]!.s]),
  );
  expect(names).not.toContain('neighbour');
  expect((await db.introspection.getSchemas()).map((s) => s.name)).toContain(schema);
});

it("answers while another session drops a table of another schema (Kysely's own introspector fails)", async () => {
  db = await freshDb();
  expect(await tablesAfterDrop((trx) => new AppSchemaIntrospector(trx), await otherSchema())).toMatchObject({
    tables: expect.arrayContaining([expect.objectContaining({ name: 'orders' })]),
  });
  // What the app's migrations met before: the same drop, read through Kysely's PostgresIntrospector.
  expect(await tablesAfterDrop((trx) => new PostgresIntrospector(trx), await otherSchema())).toEqual({
    error: expect.stringMatching(/relation .*neighbour.* does not exist/),
  });
});
