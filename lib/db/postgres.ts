import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import {
  CompiledQuery,
  PostgresDriver,
  type DatabaseConnection,
  type PostgresDialect,
  type PostgresDialectConfig,
  type PostgresPool,
  type TransactionSettings,
} from 'kysely';
import { processState } from '@/lib/common/process-state';
import { AppSchemaPostgresDialect } from './schema-introspector';
import { DatabaseUnavailableError, isDatabaseUnavailable } from './unavailable';

const INT8_OID = 20;

/**
 * PostgreSQL returns bigint (count(*), sum(), epoch-ms columns) as strings to protect values above 2^53; every
 * bigint this app stores or counts is far below that, and SQLite returns them as numbers, so both read alike.
 */
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format),
};

/**
 * How long the app waits on PostgreSQL (DATABASE_CONNECT_TIMEOUT_MS, DATABASE_STATEMENT_TIMEOUT_MS). Without them
 * a database host that stops answering held every request and pass for minutes (the operating system's TCP
 * timeouts). `connectMs`: opening a connection, or waiting for a free one in the pool. `statementMs`: the server
 * cancels a statement running longer (statement_timeout, setStatementTimeout), and the app gives up on an answer
 * that has not come READ_GRACE_MS after that (the server itself is gone) and drops the connection; 0 for no limit
 * (migrations).
 */
export type PostgresTimeouts = { connectMs: number; statementMs: number };
export const DEFAULT_POSTGRES_TIMEOUTS: PostgresTimeouts = { connectMs: 5_000, statementMs: 15_000 };
/** How long past statement_timeout an answer (its cancellation) may take before the server counts as gone. */
export const READ_GRACE_MS = 2_000;
/** TCP keep-alive probes on idle connections from this long, so a dead peer is noticed and the connection replaced. */
const KEEP_ALIVE_DELAY_MS = 10_000;

/** host:port of a connection URL, for messages (never the password). */
function addressOf(url: string): string {
  const { hostname, port } = new URL(url);
  return `${hostname}:${port || 5432}`;
}

/**
 * pg's client, failing clearly when the server does not answer. pg rejects a query that got no answer within
 * query_timeout but keeps the connection waiting on that answer, so the next query on it would wait too: the
 * connection is destroyed instead (the pool then opens a fresh one). Timeouts, and the server cancelling a
 * statement for statement_timeout, become DatabaseUnavailableError saying which limit was hit.
 */
function guardedClient(where: string, { statementMs }: PostgresTimeouts) {
  return class GuardedClient extends pg.Client {
    // pg's overloads are many; whatever the arguments, a promise's failure is explained.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override query(...args: any[]): any {
      // Kysely sends (text, values): a statement named by prepareAs goes as pg's named prepared statement.
      const name = args.length === 2 && typeof args[0] === 'string' ? prepared().names.get(args[0]) : undefined;
      const sent = name ? [{ name, text: args[0], values: args[1] }] : args;
      const result = (super.query as (...a: unknown[]) => unknown)(...sent);
      if (!(result instanceof Promise)) return result;
      return result.catch((error: Error & { code?: string }) => {
        if (name && LOST_STATEMENT.has(error.code ?? '')) throw stopPreparing(error);
        if (error.message === 'Query read timeout') {
          // end() with a query still waiting destroys the socket, without the 'error' event of a dropped one.
          this.end().catch(() => undefined);
          throw new DatabaseUnavailableError(
            `PostgreSQL at ${where} did not answer within ${statementMs + READ_GRACE_MS} ms ` +
              '(DATABASE_STATEMENT_TIMEOUT_MS + 2 s); the connection was dropped',
            { cause: error },
          );
        }
        if (error.code === '57014' && /statement timeout/.test(error.message))
          throw new DatabaseUnavailableError(
            `PostgreSQL cancelled a statement that ran past DATABASE_STATEMENT_TIMEOUT_MS (${statementMs} ms)`,
            { cause: error },
          );
        throw error;
      });
    }
  };
}

/**
 * Kysely's PostgresDialect over a `pg` pool with `timeouts` (PostgresTimeouts). `max` bounds this instance's
 * connections; an idle connection that the server drops (restart, failover) is logged and replaced rather than
 * crashing the process. Its introspector sees only the app's schema (schema-introspector.ts).
 */
export function postgresDialect(
  url: string,
  { max, timeouts }: { max: number; timeouts: PostgresTimeouts },
): PostgresDialect {
  const where = addressOf(url);
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types,
    Client: guardedClient(where, timeouts),
    connectionTimeoutMillis: timeouts.connectMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEP_ALIVE_DELAY_MS,
    ...(timeouts.statementMs > 0 ? { query_timeout: timeouts.statementMs + READ_GRACE_MS } : {}),
  });
  pool.on('error', (error) => console.error('[db] idle PostgreSQL connection failed', error.message));
  const guarded: PostgresPool = {
    connect: () =>
      pool.connect().catch((error: Error) => {
        if (/timeout/i.test(error.message))
          throw new DatabaseUnavailableError(
            `Could not get a connection to PostgreSQL at ${where} within ${timeouts.connectMs} ms ` +
              '(DATABASE_CONNECT_TIMEOUT_MS): the server did not answer, ' +
              'or all DATABASE_POOL_MAX connections stayed busy',
            { cause: error },
          );
        if (isDatabaseUnavailable(error))
          throw new DatabaseUnavailableError(`Could not connect to PostgreSQL at ${where}: ${error.message}`, {
            cause: error,
          });
        // A wrong password or database name is no outage: said as PostgreSQL says it.
        throw error;
      }),
    end: () => pool.end(),
  };
  return new AppPostgresDialect({ pool: guarded, onCreateConnection: setStatementTimeout(timeouts.statementMs) });
}

// On globalThis: the bundle that compiled a query may not be the one whose pool runs it.
type Prepared = { names: Map<string, string>; off: boolean };
const preparedHolder = processState<{ __preparedStatements: Prepared }>({ __preparedStatements: null });
const prepared = () => (preparedHolder.__preparedStatements ??= { names: new Map(), off: false });

/** A statement this connection prepared is gone (26000), or one it prepares exists already (42P05). */
const LOST_STATEMENT = new Set(['26000', '42P05']);

/**
 * A pooler that hands each transaction any server connection (PgBouncer in transaction mode before 1.21, or without
 * max_prepared_statements) loses what a connection prepared: the first statement to find out turns naming off for
 * the process, and its transaction runs again unnamed (a serialization failure, which serializableTransaction
 * retries) rather than failing its request.
 */
function stopPreparing(error: Error): Error {
  const state = prepared();
  if (!state.off)
    console.warn(
      '[db] PostgreSQL lost a prepared statement (a pooler in transaction mode?); statements now go unnamed',
    );
  state.off = true;
  state.names.clear();
  return Object.assign(new Error(`prepared statement lost: ${error.message}`, { cause: error }), { code: '40001' });
}

/**
 * Runs `sql` from now on as the named prepared statement `name` (at most 63 bytes): each connection parses and plans
 * it once, then only binds and runs it. For the ingest's hot statements (lib/db/reusable-query.ts), run once or more
 * per call: unnamed, PostgreSQL parsed and planned each again. A pooler that loses them turns this off
 * (stopPreparing).
 */
export function prepareAs(sql: string, name: string): void {
  const state = prepared();
  if (!state.off) state.names.set(sql, name);
}

/** A parameterless statement a transaction runs first, and whether it went in its begin's round trip. */
export type BeginStatement = { sql: string; sent: boolean };

// On globalThis: the bundle that opened the database (its driver) may not be the one starting the transaction.
const holder = processState<{ __beginStatements: AsyncLocalStorage<BeginStatement> }>({ __beginStatements: null });
const beginStatements = () => (holder.__beginStatements ??= new AsyncLocalStorage());

/**
 * Runs `run`, whose first transaction sends `statement` with its `start transaction`, as one simple-protocol query:
 * one round trip instead of two (each costs a socket write and read on both sides, about 0.1 ms of the app's CPU
 * on the bench machine). Best effort: the caller runs the statement itself when `statement.sent` is still false.
 */
export function withBeginStatement<T>(statement: BeginStatement, run: () => Promise<T>): Promise<T> {
  return beginStatements().run(statement, run);
}

class BeginStatementDriver extends PostgresDriver {
  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const statement = beginStatements().getStore();
    if (!statement || statement.sent) return super.beginTransaction(connection, settings);
    statement.sent = true;
    const begin = ['start transaction', settings.isolationLevel && `isolation level ${settings.isolationLevel}`]
      .concat(settings.accessMode ?? [])
      .filter(Boolean)
      .join(' ');
    try {
      await connection.executeQuery(CompiledQuery.raw(`${begin}; ${statement.sql}`));
    } catch (error) {
      // Kysely rolls back only a transaction whose begin succeeded: this one may be open, and failed.
      await connection.executeQuery(CompiledQuery.raw('rollback')).catch(() => undefined);
      throw error;
    }
  }
}

class AppPostgresDialect extends AppSchemaPostgresDialect {
  readonly #config: PostgresDialectConfig;
  constructor(config: PostgresDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver() {
    return new BeginStatementDriver(this.#config);
  }
}

/**
 * statement_timeout set on each new connection by a SET, not as a startup parameter: a pooler such as PgBouncer
 * (a hosted database's pooled connection string) refuses startup parameters it does not know, and every connection
 * would fail. A pooler that does not keep the SET leaves the client-side read timeout (query_timeout) in force.
 */
function setStatementTimeout(statementMs: number) {
  if (statementMs <= 0) return undefined;
  let warned = false;
  return async (connection: DatabaseConnection) => {
    try {
      await connection.executeQuery(CompiledQuery.raw(`set statement_timeout = ${Math.floor(statementMs)}`));
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error;
      if (!warned)
        console.warn("[db] PostgreSQL refused statement_timeout; only the app's read timeout applies:", error);
      warned = true;
    }
  };
}
