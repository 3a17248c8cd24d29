/**
 * Which database DATABASE_URL names. Pure (no driver imports) so lib/env.ts can validate the variable at start-up.
 * `file:<path>`, a bare path or `:memory:` is SQLite; `postgres://` or `postgresql://` is PostgreSQL; any other
 * scheme is refused rather than taken as a file name (a `postgres:` file once appeared in the working folder).
 */
export type DatabaseTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

// Two or more letters: `C:\data\shop.db` is a Windows path, not a URL scheme.
const SCHEME = /^([a-z][a-z0-9+.-]+):/i;

export const DATABASE_URL_HELP =
  'use file:./data/shop.db (SQLite, the default) or postgres://user:password@host:5432/database (PostgreSQL)';

export function parseDatabaseUrl(url: string): DatabaseTarget | { error: string } {
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'sqlite', file: url };
  if (scheme === 'file') return { kind: 'sqlite', file: url.slice('file:'.length) };
  if (scheme === 'postgres' || scheme === 'postgresql') {
    // The value itself is never echoed: it may hold a password.
    if (!url.slice(scheme.length + 1).startsWith('//')) return { error: `${scheme}: URLs start with ${scheme}://` };
    return { kind: 'postgres', url };
  }
  return { error: `"${scheme}:" databases are not supported; ${DATABASE_URL_HELP}` };
}
