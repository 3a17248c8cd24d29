import pg from 'pg';
import { PostgresDialect } from 'kysely';

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
 * Kysely's PostgresDialect over a `pg` pool. `max` bounds this instance's connections; an idle connection that
 * the server drops (restart, failover) is logged and replaced rather than crashing the process.
 */
export function postgresDialect(url: string, { max }: { max: number }): PostgresDialect {
  const pool = new pg.Pool({ connectionString: url, max, types });
  pool.on('error', (error) => console.error('[db] idle PostgreSQL connection failed', error.message));
  return new PostgresDialect({ pool });
}
