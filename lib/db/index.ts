import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type MigrationProvider } from 'kysely';
import { env } from '@/lib/env';
import { migrations } from './migrations';
import type { Database } from './types';

export type { Database } from './types';
export type DB = Kysely<Database>;

/** `file:./data/shop.db` → absolute path; `:memory:` stays as is. */
export function resolveDatabasePath(url: string): string {
  const file = url.replace(/^file:/, '');
  return file === ':memory:' ? file : path.resolve(/*turbopackIgnore: true*/ process.cwd(), file);
}

/** Folder beside the database where generated secrets live (`data/` by default). */
export function dataDir(): string {
  const file = resolveDatabasePath(env().DATABASE_URL);
  const dir = file === ':memory:' ? path.resolve(/*turbopackIgnore: true*/ process.cwd(), 'data') : path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Opens a database, switches it to WAL and runs pending migrations. Used by the app and by unit tests. */
export async function openDatabase(url: string): Promise<DB> {
  const file = resolveDatabasePath(url);
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    await db.destroy();
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
  return db;
}

// One connection per server process; kept on globalThis so dev-mode hot reloads don't open more.
const holder = globalThis as typeof globalThis & { __shopDb?: Promise<DB> };

/** The app's database, migrated on first use. */
export function getDb(): Promise<DB> {
  holder.__shopDb ??= openDatabase(env().DATABASE_URL);
  return holder.__shopDb;
}
