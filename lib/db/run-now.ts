import type { CompiledQuery, Kysely, QueryResult, SqliteDatabase } from 'kysely';

/** Each SQLite handle's statement cache (lib/db/index.ts), by adapter: one per handle, shared by its transactions. */
const connections = new WeakMap<object, SqliteDatabase>();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** Called once as a SQLite handle opens: its transactions may then run writes with `runNow`. */
export function allowRunNow(db: AnyDb, database: SqliteDatabase): void {
  connections.set(db.getExecutor().adapter, database);
}

/**
 * Runs a write of a SQLite transaction at once, on the connection that transaction holds, and returns what Kysely's
 * SQLite driver would (the change count and rowid); undefined elsewhere (PostgreSQL, outside a transaction, a handle
 * with plugins, which rewrite queries as they run), where the caller runs it through Kysely. Same statement, same
 * connection, same transaction: only Kysely's promises around a synchronous driver are left out, about ten per
 * statement, which a 50-call batch paid for each of its inserts (issue 13). A SQLite handle has one connection, and
 * a transaction holds it until it ends, so nothing else can run on it meanwhile; the caller must not have a query of
 * the same transaction still pending (the ingest awaits each in turn).
 */
export function runNow(db: AnyDb, query: CompiledQuery): QueryResult<never> | undefined {
  if (!db.isTransaction) return undefined;
  const executor = db.getExecutor();
  const database = connections.get(executor.adapter);
  if (!database || executor.plugins.length) return undefined;
  const { changes, lastInsertRowid } = database.prepare(query.sql).run(query.parameters);
  return {
    numAffectedRows: changes === undefined || changes === null ? undefined : BigInt(changes),
    insertId: lastInsertRowid === undefined || lastInsertRowid === null ? undefined : BigInt(lastInsertRowid),
    rows: [],
  };
}
