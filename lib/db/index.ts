import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, sql, SqliteDialect, type MigrationProvider } from 'kysely';
import { env } from '@/lib/env';
import { SQLITE_BUSY_TIMEOUT_MS } from './dialect';
import { migrations } from './migrations';
import { DEFAULT_POSTGRES_TIMEOUTS, postgresDialect, type PostgresTimeouts } from './postgres';
import { allowRunNow } from './run-now';
import { withStatementCache } from './sqlite-statements';
import { startWalCheckpointer } from './wal-checkpoint';
import { attachWalSync, createWalSync, DURABLE_SYNCHRONOUS } from './wal-sync';
import type { Database } from './types';
import { DatabaseUnavailableError, isDatabaseUnavailable } from './unavailable';
import { parseDatabaseUrl } from './url';
import { processState } from '@/lib/common/process-state';

export type { Database } from './types';
export type DB = Kysely<Database>;

/** `file:./data/shop.db` → absolute path; `:memory:` stays as is. */
export function resolveDatabasePath(url: string): string {
  const file = url.replace(/^file:/, '');
  return file === ':memory:' ? file : path.resolve(/*turbopackIgnore: true*/ process.cwd(), file);
}

/** Folder beside the database where generated secrets live (`data/` by default, and with PostgreSQL). */
export function dataDir(): string {
  const url = env().DATABASE_URL;
  const target = parseDatabaseUrl(url);
  const file = 'kind' in target && target.kind === 'sqlite' ? resolveDatabasePath(url) : ':memory:';
  const dir = file === ':memory:' ? path.resolve(/*turbopackIgnore: true*/ process.cwd(), 'data') : path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

function openSqlite(url: string): Kysely<Database> {
  const file = resolveDatabasePath(url);
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // A commit is durable when it returns (the ingest answers 200 after it): FULL fsyncs the WAL at every commit.
  // Said explicitly because better-sqlite3 is built with SQLITE_DEFAULT_WAL_SYNCHRONOUS=1: a file that is already in
  // WAL mode (every start but the first) opens with NORMAL, whose last commits a power loss can take back.
  // lib/db/wal-sync.ts relaxes it for a transaction whose caller then waits for the WAL's flush.
  sqlite.pragma(`synchronous = ${DURABLE_SYNCHRONOUS}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  const cached = withStatementCache(sqlite);
  if (file === ':memory:') {
    const memory = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }) });
    allowRunNow(memory, cached);
    return memory;
  }
  // Checkpoints run in a worker thread, not inside this connection's commits (lib/db/wal-checkpoint.ts).
  const checkpointer = startWalCheckpointer(sqlite, file);
  const wal = createWalSync(`${file}-wal`);
  const database = {
    prepare: cached.prepare,
    close() {
      checkpointer.stop();
      void wal.close();
      cached.close();
    },
  };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  attachWalSync(db, wal);
  allowRunNow(db, database);
  return db;
}

/** The schema PostgreSQL creates tables in; also the first query, so an unreachable server is named clearly. */
async function currentSchema(db: DB, url: string): Promise<string | undefined> {
  try {
    return (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema;
  } catch (error) {
    await db.destroy();
    const { hostname, port, pathname } = new URL(url);
    throw openingFailed(
      `Could not use PostgreSQL at ${hostname}:${port || 5432}${pathname} (DATABASE_URL): ${(error as Error).message}`,
      error,
    );
  }
}

/**
 * The error opening a database failed with: one that is not answering (yet: a server starting, a host coming up)
 * stays one, so the request that opened it gets the 503 (lib/common/http.ts) and the next request opens it again.
 */
function openingFailed(message: string, error: unknown): Error {
  return isDatabaseUnavailable(error)
    ? new DatabaseUnavailableError(message, { cause: error })
    : new Error(message, { cause: error });
}

export type OpenOptions = {
  poolMax?: number;
  /** PostgreSQL's timeouts (lib/db/postgres.ts); DEFAULT_POSTGRES_TIMEOUTS for what is not given. */
  timeouts?: Partial<PostgresTimeouts>;
};

/**
 * Connects to a database without migrating it: SQLite (switched to WAL) for `file:` URLs, PostgreSQL through a
 * connection pool for `postgres://` URLs. Returns the handle and the migrator the app runs on it. The app uses
 * openDatabase; tests of a migration on existing data step the migrator themselves.
 */
export async function connectDatabase(
  url: string,
  { poolMax = 10, timeouts }: OpenOptions = {},
): Promise<{ db: DB; migrator: Migrator }> {
  const target = parseDatabaseUrl(url);
  if ('error' in target) throw new Error(`DATABASE_URL: ${target.error}`);
  const db =
    target.kind === 'postgres'
      ? new Kysely<Database>({
          dialect: postgresDialect(target.url, {
            max: poolMax,
            timeouts: { ...DEFAULT_POSTGRES_TIMEOUTS, ...timeouts },
          }),
        })
      : openSqlite(target.file);
  // PostgreSQL: Kysely's bookkeeping tables go in the schema the app uses (search_path), not whichever schema
  // of the database already has a table of that name.
  const migrationTableSchema = target.kind === 'postgres' ? await currentSchema(db, target.url) : undefined;
  return { db, migrator: new Migrator({ db, provider, migrationTableSchema }) };
}

async function migrate({ db, migrator }: { db: DB; migrator: Migrator }): Promise<void> {
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    await db.destroy();
    throw openingFailed(`Database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, error);
  }
}

/**
 * Opens a database and runs pending migrations (see connectDatabase). Instances starting together are safe:
 * PostgreSQL migrations run under Kysely's advisory lock. Used by the app and by unit tests. On PostgreSQL the
 * migrations run on a connection of their own with no statement timeout: an index on a large table may take
 * minutes, and an instance starting beside another waits for that one's migrations.
 */
export async function openDatabase(url: string, options: OpenOptions = {}): Promise<DB> {
  const target = parseDatabaseUrl(url);
  if (!('kind' in target) || target.kind !== 'postgres') {
    const opened = await connectDatabase(url, options);
    await migrate(opened);
    return opened.db;
  }
  const migrating = await connectDatabase(url, { poolMax: 1, timeouts: { ...options.timeouts, statementMs: 0 } });
  await migrate(migrating);
  await migrating.db.destroy();
  return (await connectDatabase(url, options)).db;
}

// One database handle (a SQLite connection or a PostgreSQL pool) per server process; kept on globalThis so
// dev-mode hot reloads don't open more.
const holder = processState<{ __shopDb: Promise<DB> }>({
  __shopDb: (db) => db.then((handle) => handle.destroy()).catch(() => undefined),
});

/** The app's database, migrated on first use. A failed open is retried by the next call (a server still starting). */
export function getDb(): Promise<DB> {
  const e = env();
  const timeouts = { connectMs: e.DATABASE_CONNECT_TIMEOUT_MS, statementMs: e.DATABASE_STATEMENT_TIMEOUT_MS };
  holder.__shopDb ??= openDatabase(e.DATABASE_URL, { poolMax: e.DATABASE_POOL_MAX, timeouts }).catch((error) => {
    holder.__shopDb = undefined;
    throw error;
  });
  return holder.__shopDb;
}

/**
 * Closes the app's database handle (a stopping server, once its requests and passes are done: lib/cdp/runtime/
 * shutdown.ts). A later getDb() would open it again.
 */
export async function closeDb(): Promise<void> {
  const open = holder.__shopDb;
  holder.__shopDb = undefined;
  if (open) await (await open.catch(() => null))?.destroy();
}
