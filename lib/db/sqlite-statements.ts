import type { Database as SQLiteDatabase, Statement } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** More distinct SQL texts than the app writes (a few hundred); past it the oldest statement is dropped. */
const MAX_STATEMENTS = 1_000;

type Row = Record<string, unknown>;
type BuildRow = (values: unknown[]) => Row;

/** Row builders by column list (as many as the statements); cleared if ever full. */
const builders = new Map<string, BuildRow>();

/**
 * A function that makes a row object from a row's values: one object literal with the columns as keys, so every
 * row of a shape shares one hidden class. Null for a column list a literal cannot spell as better-sqlite3 does
 * (`__proto__` would set the prototype). Duplicate names keep the last value, as better-sqlite3's rows do.
 */
function rowBuilder(names: readonly string[]): BuildRow | null {
  if (names.includes('__proto__')) return null;
  const key = names.join('\u0000');
  let build = builders.get(key);
  if (!build) {
    const fields = names.map((name, i) => `${JSON.stringify(name)}: values[${i}]`).join(', ');
    // The names are the statement's own columns, quoted by JSON.stringify: nothing from a request is evaluated.
    build = new Function('values', `return { ${fields} };`) as BuildRow;
    if (builders.size >= 4 * MAX_STATEMENTS) builders.clear();
    builders.set(key, build);
  }
  return build;
}

/**
 * A select whose rows are read as arrays and made objects by `rowBuilder`. better-sqlite3 builds each row object
 * property by property, which cost twice what reading the values did (a journey pass reads 100k events and
 * their runs: issue 13). Same rows, same key order. Column names are read again whenever a row's length differs
 * from what they were read for (a schema change re-prepares the statement).
 */
function withObjectRows(statement: Statement): SqliteStatement {
  let names = statement.columns().map((c) => c.name);
  let build = rowBuilder(names);
  if (!build) return statement;
  statement.raw(true);
  const toRow = (values: unknown[]) => {
    if (values.length !== names.length) {
      names = statement.columns().map((c) => c.name);
      build = rowBuilder(names) ?? ((v) => Object.fromEntries(names.map((n, i) => [n, v[i]])));
    }
    return build!(values);
  };
  return {
    reader: true,
    all: (parameters) => (statement.all(parameters) as unknown[][]).map(toRow),
    run: (parameters) => statement.run(parameters),
    *iterate(parameters) {
      for (const values of statement.iterate(parameters) as Iterable<unknown[]>) yield toRow(values);
    },
  };
}

/**
 * The better-sqlite3 connection as Kysely's SqliteDialect sees it, with prepared statements kept by SQL text.
 * Kysely's driver calls `prepare` for every query, and compiling a statement cost more than running it on the
 * ingest path (issue 13). Kysely compiles a query to the same text whatever its values (they are parameters), so
 * the app's few hundred statement shapes are each compiled once. A statement still iterating (a streamed select)
 * is busy and cannot run again meanwhile: that caller gets a fresh one. Selects build their rows with
 * `withObjectRows`.
 */
export function withStatementCache(sqlite: SQLiteDatabase): SqliteDatabase {
  const statements = new Map<string, { statement: Statement; kysely: SqliteStatement }>();
  const prepare = (sql: string) => {
    const statement = sqlite.prepare(sql);
    return { statement, kysely: statement.reader ? withObjectRows(statement) : statement };
  };
  return {
    prepare(sql: string): SqliteStatement {
      const cached = statements.get(sql);
      if (cached && !cached.statement.busy) return cached.kysely;
      const fresh = prepare(sql);
      if (cached) return fresh.kysely;
      if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value!);
      statements.set(sql, fresh);
      return fresh.kysely;
    },
    close() {
      statements.clear();
      sqlite.close();
    },
  };
}
