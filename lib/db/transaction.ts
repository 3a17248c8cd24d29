import type { Transaction } from 'kysely';
import { dialectOf, isRetryableConflict } from './dialect';
import type { DB } from './index';
import type { Database } from './types';

const MAX_ATTEMPTS = 10;

/**
 * Runs `work` in one transaction that behaves as if it ran alone. SQLite already serializes writers. PostgreSQL
 * runs it SERIALIZABLE: when concurrent transactions (two identifies of one person, the same messageId in two
 * requests) would interleave in a way no serial order explains, one of them fails with a serialization error
 * and runs again from the start, seeing what the other committed. `work` must therefore do nothing but database
 * work (no sends, no counters outside it), and build its result from scratch on each attempt.
 */
export async function serializableTransaction<T>(db: DB, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  const postgres = dialectOf(db) === 'postgres';
  for (let attempt = 1; ; attempt++) {
    try {
      const builder = postgres ? db.transaction().setIsolationLevel('serializable') : db.transaction();
      return await builder.execute(work);
    } catch (error) {
      if (!isRetryableConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
      // Jittered backoff so the transactions that collided do not collide again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));
    }
  }
}
