import crypto from 'node:crypto';
import path from 'node:path';
import { sql, type Kysely, type Migrator } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { connectDatabase, openDatabase, type DB } from '@/lib/db';
import { withDatabase } from '../../../scripts/postgres.mjs';
import { tempFolder } from './temp-folders';

/**
 * Databases for the storage suites, which run twice: in the `sqlite` vitest project on in-memory SQLite, and
 * in the `postgres` project (TEST_DB=postgres) on PostgreSQL, in schemas of the run's own database.
 */
export const onPostgres = process.env.TEST_DB === 'postgres';

let admin: pg.Pool | undefined;

function postgresUrl(): string {
  const provided = inject('postgres');
  if ('skipped' in provided) throw new Error(`PostgreSQL is not available: ${provided.skipped}`);
  return provided.url;
}

/** A URL for a database nobody else uses: a temp SQLite file, or a new PostgreSQL schema. */
export async function freshDatabaseUrl(): Promise<string> {
  if (!onPostgres) {
    return `file:${path.join(tempFolder('glowlab-unit-'), 'shop.db')}`;
  }
  const url = postgresUrl();
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  admin ??= new pg.Pool({ connectionString: url, max: 1 });
  await admin.query(`create schema ${schema}`);
  return withDatabase(url, new URL(url).pathname.slice(1), { options: `-c search_path=${schema}` });
}

/**
 * A migrated schema reused from test to test: migrating a new one costs about a second on PostgreSQL, emptying
 * one a few milliseconds. `reset` puts it back exactly as the migrations left it (rows they insert included).
 */
type Slot = { db: DB; tables: string[]; rows: Record<string, Record<string, unknown>[]> };
const free: Slot[] = [];
const inUse: Slot[] = [];
const perTest: DB[] = [];

async function migratedSlot(): Promise<Slot> {
  const db = await openDatabase(await freshDatabaseUrl(), { poolMax: 8 });
  const { rows } = await sql<{ name: string }>`select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_name not like 'kysely%'`.execute(db);
  const tables = rows.map((r) => r.name);
  const snapshot: Slot['rows'] = {};
  for (const table of tables)
    snapshot[table] = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)).rows;
  return { db, tables, rows: snapshot };
}

async function reset({ db, tables, rows }: Slot) {
  await sql`truncate table ${sql.join(tables.map((t) => sql.table(t)))} restart identity cascade`.execute(db);
  for (const [table, values] of Object.entries(rows)) {
    // The snapshot's tables are known only at run time: an untyped handle inserts them back.
    if (values.length)
      await (db as Kysely<Record<string, Record<string, unknown>>>).insertInto(table).values(values).execute();
  }
}

/** A migrated, empty database for one test (released after it by the setup file). */
export async function freshDb(): Promise<DB> {
  if (!onPostgres) {
    const db = await openDatabase(':memory:');
    perTest.push(db);
    return db;
  }
  const reused = free.pop();
  if (reused) await reset(reused);
  const slot = reused ?? (await migratedSlot());
  inUse.push(slot);
  return slot.db;
}

/**
 * A new database with no tables yet, and the migrator the app would run on it (closed after the test): for
 * tests that put data in at an old migration and then migrate forward, as an existing shop would.
 */
export async function unmigratedDatabase(): Promise<{ db: DB; migrator: Migrator }> {
  const opened = await connectDatabase(onPostgres ? await freshDatabaseUrl() : ':memory:', { poolMax: 4 });
  perTest.push(opened.db);
  return opened;
}

/** Two handles (pools) on one new database, as two app instances sharing it would hold. */
export async function sharedDatabase(): Promise<[DB, DB]> {
  const url = await freshDatabaseUrl();
  const handles = [await openDatabase(url, { poolMax: 8 }), await openDatabase(url, { poolMax: 8 })] as [DB, DB];
  perTest.push(...handles);
  return handles;
}

export async function releaseDatabases(): Promise<void> {
  free.push(...inUse.splice(0));
  await Promise.all(perTest.splice(0).map((db) => db.destroy()));
}

export async function closeDatabases(): Promise<void> {
  await releaseDatabases();
  await Promise.all(free.splice(0).map((slot) => slot.db.destroy()));
  await admin?.end();
  admin = undefined;
}
