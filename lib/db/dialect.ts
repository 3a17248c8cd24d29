import { sql, type ColumnDefinitionBuilder, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';

/**
 * Everything that differs between SQLite and PostgreSQL lives here, each with the reason. Modules and
 * migrations are written once against these helpers; on SQLite every helper produces exactly the SQL the
 * app used before PostgreSQL support (so existing SQLite databases and their migrations are unchanged).
 */
export type DialectName = 'sqlite' | 'postgres';

// Kysely<any>: migrations hold a Kysely<unknown>, modules a Kysely<Database>; both share the executor.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * The dialect behind a Kysely instance or transaction (migrations only get the instance, not the URL), told by
 * how it writes a parameter: `$1` in PostgreSQL, `?` in SQLite. Not `instanceof PostgresAdapter`: bundlers may
 * give route handlers and instrumentation separate copies of Kysely's classes for one shared database handle.
 */
export function dialectOf(db: AnyDb): DialectName {
  // Asked on every ingest call: remembered per adapter (one per database handle, shared by its transactions).
  const adapter = db.getExecutor().adapter;
  let name = dialects.get(adapter);
  if (!name) {
    name = sql`${0}`.compile(db).sql === '$1' ? 'postgres' : 'sqlite';
    dialects.set(adapter, name);
  }
  return name;
}

const dialects = new WeakMap<object, DialectName>();

/**
 * The largest row id a table's integer key holds on both databases: PostgreSQL's `integer` (int4). An id from a
 * request beyond it is no row; handed to PostgreSQL it is an error ("out of range for type integer"), not a miss.
 */
export const MAX_ROW_ID = 2_147_483_647;

/**
 * Auto-increment primary key. SQLite: `integer primary key autoincrement` (ids never reused). PostgreSQL has no
 * AUTOINCREMENT keyword (Kysely would emit MySQL's); an identity column is its equivalent.
 */
export const autoIncrementKey = (db: AnyDb) => (c: ColumnDefinitionBuilder) =>
  dialectOf(db) === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();

/**
 * Wall-clock milliseconds (about 1.8e12). SQLite's `integer` is 64-bit; PostgreSQL's is 32-bit and would overflow,
 * so it needs `bigint` (read back as a number: see the int8 parser in lib/db/postgres.ts).
 */
export const epochMsType = (db: AnyDb) => (dialectOf(db) === 'postgres' ? 'bigint' : 'integer');

/** `group_concat(expr, sep)` is SQLite's; PostgreSQL spells it `string_agg`, and `char()` as `chr()`. */
export function joinWithUnitSeparator(db: AnyDb, expr: RawBuilder<unknown>): RawBuilder<string | null> {
  return dialectOf(db) === 'postgres' ? sql`string_agg(${expr}, chr(31))` : sql`group_concat(${expr}, char(31))`;
}

/**
 * The elements of a JSON array column as a table-valued FROM item `alias(value)`. Columns hold JSON as text
 * (SQLite has no JSON type): SQLite walks it with json_each, PostgreSQL casts to jsonb first.
 */
export function jsonArrayElements(db: AnyDb, column: RawBuilder<unknown>, alias: string): RawBuilder<unknown> {
  return dialectOf(db) === 'postgres'
    ? sql`jsonb_array_elements(${column}::jsonb) as ${sql.id(alias)}`
    : sql`json_each(${column}) as ${sql.id(alias)}`;
}

/** A top-level text field of a JSON value (`value` of jsonArrayElements): json_extract vs the ->> operator. */
export function jsonTextField(db: AnyDb, value: RawBuilder<unknown>, key: string): RawBuilder<string | null> {
  return dialectOf(db) === 'postgres'
    ? sql`(${value} ->> ${sql.lit(key)})`
    : sql`json_extract(${value}, ${sql.lit(`$.${key}`)})`;
}

/**
 * `INDEXED BY index` after a table in FROM on SQLite, nothing on PostgreSQL. SQLite's planner has no statistics
 * unless ANALYZE ran, and then prefers an index on a column compared to a constant (e.g. `type = 'track'`, i.e.
 * every track of everyone) over a per-profile one: where a query must stay proportional to one profile, it says
 * which index. PostgreSQL keeps statistics and picks well. SQLite refuses the query if the index can't serve it.
 */
export function indexedBy(db: AnyDb, index: string): RawBuilder<unknown> {
  return dialectOf(db) === 'postgres' ? sql`` : sql`indexed by ${sql.id(index)}`;
}

/**
 * `NOT INDEXED` after a table in FROM on SQLite, nothing on PostgreSQL: a query over a range of seqs (rowids) reads
 * that range, where SQLite's planner would rather walk the whole of an index that serves its other conditions (a
 * partial index implied by them) and filter by seq, once per range. The rowid is still used under NOT INDEXED.
 */
export function rowidOnly(db: AnyDb): RawBuilder<unknown> {
  return dialectOf(db) === 'postgres' ? sql`` : sql`not indexed`;
}

/**
 * Row claims for work queues: `column IN (query)`, the rows a claim takes. PostgreSQL: the query's rows are locked
 * `FOR UPDATE SKIP LOCKED`, so two instances claiming at once take different rows instead of waiting for (and then
 * re-reading) each other's, and it runs once, as an `array(…)`: as `IN (…)` the planner, going by statistics taken
 * while nearly every row was sent, joined it as a nested loop that ran the locking query again for every pending
 * row, so claiming from a backlog took time quadratic in it (7,000 pending: 32 s, past the statement timeout, and the
 * queue stopped moving). SQLite has no row locks and needs none: a write transaction excludes every other writer.
 */
export function inClaimedRows(
  db: AnyDb,
  column: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query: SelectQueryBuilder<any, any, any>,
): RawBuilder<boolean> {
  return dialectOf(db) === 'postgres'
    ? sql<boolean>`${sql.ref(column)} = any(array(${query.forUpdate().skipLocked()}))`
    : sql<boolean>`${sql.ref(column)} in (${query})`;
}

/** The database server's clock in epoch ms: one clock for every instance, whatever their own clocks say. */
export function databaseNowMs(db: AnyDb): RawBuilder<number> {
  return dialectOf(db) === 'postgres'
    ? sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`
    : sql<number>`cast(unixepoch('subsec') * 1000 as integer)`;
}

/**
 * Makes `cdp_events.seq` safe to use as a cursor. PostgreSQL hands out sequence values when rows are inserted,
 * not when they commit, so a reader could see seq 11 committed while seq 10 is still in flight and move its
 * cursor past 10 for good. Event writers hold `serial_writers` shared: every ingest transaction does from its first
 * statement (serializableTransaction), so the ingest takes nothing more. A cursor reader takes it exclusively for
 * the instant it reads max(seq), i.e. after every transaction that already holds a seq has committed. (This was a
 * shared advisory lock of its own: a round trip per ingest transaction for what serial_writers already gave.)
 * SQLite has a single writer, so seqs commit in order: nothing to do. Call inside a transaction.
 */
export async function lockEventWriters(trx: AnyDb, mode: 'shared' | 'exclusive'): Promise<void> {
  if (dialectOf(trx) !== 'postgres') return;
  await sql`lock table serial_writers in ${sql.raw(mode === 'shared' ? 'row share' : 'exclusive')} mode`.execute(trx);
}

/**
 * How long SQLite waits for another process's write lock before "database is locked" (busy_timeout). The wait blocks
 * the event loop (better-sqlite3 is synchronous), so nothing should wait it out more than once.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * Errors after which a transaction can simply run again: PostgreSQL's serialization failures and deadlocks
 * (concurrent transactions that touched the same rows), and SQLite's "database is locked" when another process
 * held the file past busy_timeout.
 */
export function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01' || code === 'SQLITE_BUSY';
}

/** What jsonPathTest checks about the value at a path of a JSON text column. */
export type JsonValueTest =
  | { op: 'present' }
  | { op: 'exists' }
  | { op: 'eq'; value: string | number | boolean | null }
  | { op: 'gte' | 'lte'; value: number };

/**
 * A test on the value at `path` (keys; all-digit keys index arrays) of a JSON text column, with JavaScript's
 * meaning, as the segment engine applies it: `present` = the key is there (even with null), `exists` = present and
 * not null or "", `eq` = same type and value, `gte`/`lte` = a number compared. SQLite reads it with json_type /
 * json_extract (SQL NULL for both a missing key and JSON null, hence json_type); PostgreSQL casts to jsonb and
 * compares jsonb values (numbers by value: 1 = 1.0, as in JavaScript). On SQLite an all-digit key indexes an
 * array only (`$[0]`), never an object key "0".
 */
export function jsonPathTest(
  db: AnyDb,
  column: RawBuilder<unknown>,
  path: readonly string[],
  test: JsonValueTest,
): RawBuilder<boolean> {
  if (dialectOf(db) === 'postgres') {
    const v = sql`(${column}::jsonb #> ${sql.lit(`{${path.map((k) => `"${k.replace(/["\\]/g, '\\$&')}"`).join(',')}}`)})`;
    switch (test.op) {
      case 'present':
        return sql<boolean>`(${v} is not null)`;
      case 'exists':
        return sql<boolean>`(coalesce(jsonb_typeof(${v}), 'null') <> 'null' and ${v} <> '""'::jsonb)`;
      case 'eq':
        return sql<boolean>`(${v} = cast(${JSON.stringify(test.value)} as jsonb))`;
      default:
        // CASE, not AND: PostgreSQL may evaluate the cast before the type check.
        return sql<boolean>`(case when jsonb_typeof(${v}) = 'number' then (${v} #>> '{}')::numeric end ${sql.raw(
          test.op === 'gte' ? '>=' : '<=',
        )} ${test.value})`;
    }
  }
  const jsonPath = `$${path.map((k) => (/^\d+$/.test(k) ? `[${k}]` : `."${k.replace(/"/g, '""')}"`)).join('')}`;
  const type = sql`json_type(${column}, ${sql.lit(jsonPath)})`;
  const value = sql`json_extract(${column}, ${sql.lit(jsonPath)})`;
  switch (test.op) {
    case 'present':
      return sql<boolean>`(${type} is not null)`;
    case 'exists':
      return sql<boolean>`(coalesce(${type}, 'null') <> 'null' and (${type} <> 'text' or ${value} <> ''))`;
    case 'eq': {
      const v = test.value;
      if (v === null) return sql<boolean>`(${type} = 'null')`;
      if (typeof v === 'boolean') return sql<boolean>`(${type} = ${sql.lit(v ? 'true' : 'false')})`;
      if (typeof v === 'string') return sql<boolean>`(${type} = 'text' and ${value} = ${v})`;
      return sql<boolean>`(${type} in ('integer', 'real') and ${value} = ${v})`;
    }
    default:
      return sql<boolean>`(${type} in ('integer', 'real') and ${value} ${sql.raw(test.op === 'gte' ? '>=' : '<=')} ${test.value})`;
  }
}
