import type { Database as SQLiteDatabase, Statement } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** More distinct SQL texts than the app writes (a few hundred); past it the oldest statement is dropped. */
const MAX_STATEMENTS = 1_000;

/**
 * The better-sqlite3 connection as Kysely's SqliteDialect sees it, with prepared statements kept by SQL text.
 * Kysely's driver calls `prepare` for every query, and compiling a statement cost more than running it on the
 * ingest path (issue 13). Kysely compiles a query to the same text whatever its values (they are parameters), so
 * the app's few hundred statement shapes are each compiled once. A statement still iterating (a streamed select)
 * is busy and cannot run again meanwhile: that caller gets a fresh one.
 */
export function withStatementCache(sqlite: SQLiteDatabase): SqliteDatabase {
  const statements = new Map<string, Statement>();
  return {
    prepare(sql: string): SqliteStatement {
      const cached = statements.get(sql);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(sql);
      if (cached) return statement;
      if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value!);
      statements.set(sql, statement);
      return statement;
    },
    close() {
      statements.clear();
      sqlite.close();
    },
  };
}
