import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { migrations } from '@/lib/db/migrations';

// A pipeline database as it was before 0006-trust, with events and people in it, migrated forward.
let db: Kysely<unknown>;
let migrator: Migrator;
beforeEach(async () => {
  db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
  migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error } = await migrator.migrateTo('0004-orders');
  if (error) throw error;
});
afterEach(() => db.destroy());

it('keeps what the server sent trusted and the emails people had as their trusted email', async () => {
  const t = '2025-01-01T00:00:00.000Z';
  for (const [id, server] of [
    ['m-server', 1],
    ['m-browser', 0],
  ] as const)
    await sql`insert into cdp_events (message_id, type, timestamp, received_at, seen_by_server)
      values (${id}, 'track', ${t}, ${t}, ${server})`.execute(db);
  await sql`insert into cdp_people (id, email, first_seen_at, last_seen_at, created_at, updated_at)
    values ('cus_a', 'a@example.test', ${t}, ${t}, ${t}, ${t}), ('cus_b', null, ${t}, ${t}, ${t}, ${t})`.execute(db);

  const { error } = await migrator.migrateTo('0006-trust');
  expect(error).toBeUndefined();
  const events = await sql`select message_id, trusted, identity_check from cdp_events order by seq`.execute(db);
  expect(events.rows).toEqual([
    { message_id: 'm-server', trusted: 1, identity_check: null },
    { message_id: 'm-browser', trusted: 0, identity_check: null },
  ]);
  const people = await sql`select id, email_trusted, email_trusted_at from cdp_people order by id`.execute(db);
  expect(people.rows).toEqual([
    { id: 'cus_a', email_trusted: 'a@example.test', email_trusted_at: t },
    { id: 'cus_b', email_trusted: null, email_trusted_at: null },
  ]);
});

it('migrates back down cleanly', async () => {
  await migrator.migrateTo('0006-trust');
  const { error } = await migrator.migrateTo('0004-orders');
  expect(error).toBeUndefined();
  const columns = await sql<{ name: string }>`select name from pragma_table_info('cdp_events')`.execute(db);
  expect(columns.rows.map((c) => c.name)).not.toContain('trusted');
  const tables = await sql<{ name: string }>`select name from sqlite_master
    where name in ('ops_sessions', 'customer_browsers')`.execute(db);
  expect(tables.rows).toEqual([]);
});
