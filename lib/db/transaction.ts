import type { Transaction } from 'kysely';
import { dialectOf, isRetryableConflict } from './dialect';
import type { DB } from './index';
import type { Database } from './types';
import { commitThenSync } from './wal-sync';

const MAX_ATTEMPTS = 10;

/**
 * Runs `work` in one transaction that behaves as if it ran alone. SQLite already serializes writers. PostgreSQL
 * runs it SERIALIZABLE: when concurrent transactions (two identifies of one person, the same messageId in two
 * requests) would interleave in a way no serial order explains, one of them fails with a serialization error
 * and runs again from the start, seeing what the other committed. `work` must therefore do nothing but database
 * work (no sends, no counters outside it), and build its result from scratch on each attempt.
 * On a SQLite file it resolves once the commit is on disk, without holding the event loop while the WAL is
 * flushed (group commit, lib/db/wal-sync.ts).
 */
export async function serializableTransaction<T>(db: DB, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  const postgres = dialectOf(db) === 'postgres';
  for (let attempt = 1; ; attempt++) {
    try {
      return await commitThenSync(db, (conn) =>
        (postgres ? conn.transaction().setIsolationLevel('serializable') : conn.transaction()).execute(work),
      );
    } catch (error) {
      if (!isRetryableConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
      // Jittered backoff so the transactions that collided do not collide again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));
    }
  }
}
