/**
 * The database is not answering: PostgreSQL did not connect or answer within its timeouts (lib/db/postgres.ts),
 * refused or dropped the connection, or is shutting down; SQLite stayed locked past its busy timeout. Requests
 * that meet it answer 503 with Retry-After (lib/common/http.ts errorAnswer), so a sender that retries comes back.
 */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

/** How long a sender told 503 is asked to wait (Retry-After, seconds). */
export const RETRY_AFTER_SECONDS = 5;

// PostgreSQL SQLSTATEs meaning "not now" rather than "wrong": the server shutting down or not accepting
// connections yet, too many connections, and the connection-exception class (08…).
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
// Node's socket errors when the server's address refuses or drops the connection.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Whether `error` says the database is not answering (see DatabaseUnavailableError). By name and code, not
 * instanceof: route handlers and instrumentation are separate bundles with separate copies of the class.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (e.name === 'DatabaseUnavailableError') return true;
  const code = typeof e.code === 'string' ? e.code : '';
  return code === 'SQLITE_BUSY' || UNAVAILABLE_CODES.has(code) || code.startsWith('08') || SOCKET_CODES.has(code);
}
