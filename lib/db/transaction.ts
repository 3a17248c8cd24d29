import { CompiledQuery, type Transaction } from 'kysely';
import { dialectOf, isRetryableConflict, SQLITE_BUSY_TIMEOUT_MS } from './dialect';
import type { DB } from './index';
import type { Database } from './types';
import { withBeginStatement } from './postgres';
import { commitThenSync } from './wal-sync';

const MAX_ATTEMPTS = 10;
/** Attempts run side by side with other transactions before a transaction waits for its turn to run alone. */
const OPTIMISTIC_ATTEMPTS = 2;

// ROW SHARE conflicts with EXCLUSIVE only (and ACCESS EXCLUSIVE): shared holders never wait for each other.
const LOCK_ALONE = CompiledQuery.raw('lock table serial_writers in exclusive mode');
const LOCK_BESIDE = CompiledQuery.raw('lock table serial_writers in row share mode');

export type SerializableOptions = {
  /**
   * Run alone among such transactions from the first attempt (PostgreSQL): for work that conflicts with most other
   * work of its kind (an identify writes people, links and emails that concurrent identifies read).
   */
  alone?: boolean;
};

/**
 * Runs `work` in one transaction that behaves as if it ran alone. SQLite already serializes writers. PostgreSQL
 * runs it SERIALIZABLE: when concurrent transactions (two identifies of one person, the same messageId in two
 * requests) would interleave in a way no serial order explains, one of them fails with a serialization error
 * and runs again from the start, seeing what the other committed. `work` must therefore do nothing but database
 * work (no sends, no counters outside it), and build its result from scratch on each attempt.
 * Retrying alone does not end under contention: with tens of such transactions in flight (identifies of different
 * people on a small database conflict through the pages they read), each round lets few commit, and a request
 * that ran out of attempts was a 500, its calls lost (the browser SDK does not retry a 5xx). So after
 * OPTIMISTIC_ATTEMPTS, or from the start with `alone`, an attempt first takes the `serial_writers` lock and waits
 * for its turn: the transactions that conflict the most then run one after the other, as on SQLite. Every other
 * attempt takes the same lock shared, so one that runs alone truly does: untaken, a stranger's flood of anonymous
 * calls (which never waited) kept failing a shop's identify as a serialization pivot until it ran out of attempts
 * (17 of 40 identifies were a 500).
 * On a SQLite file it resolves once the commit is on disk, without holding the event loop while the WAL is
 * flushed (group commit, lib/db/wal-sync.ts).
 */
export async function serializableTransaction<T>(
  db: DB,
  work: (trx: Transaction<Database>) => Promise<T>,
  { alone = false }: SerializableOptions = {},
): Promise<T> {
  const postgres = dialectOf(db) === 'postgres';
  const startedAt = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      if (!postgres) return await commitThenSync(db, (conn) => conn.transaction().execute(work));
      // The transaction's first statement, so its snapshot is taken once the turn has come; sent with its begin
      // (one round trip). The others take the lock shared: they run side by side, never beside one running alone.
      const lock = alone || attempt > OPTIMISTIC_ATTEMPTS ? LOCK_ALONE : LOCK_BESIDE;
      const first = { sql: lock.sql, sent: false };
      return await withBeginStatement(first, () =>
        db
          .transaction()
          .setIsolationLevel('serializable')
          .execute(async (trx) => {
            if (!first.sent) await trx.executeQuery(lock);
            return work(trx);
          }),
      );
    } catch (error) {
      if (!isRetryableConflict(error) || attempt >= MAX_ATTEMPTS || waitedOutBusyTimeout(error, startedAt)) throw error;
      // Jittered backoff so the transactions that collided do not collide again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));
    }
  }
}

/**
 * SQLite's "database is locked" is retried within its busy timeout only. A read upgraded to a write meets another
 * process's lock at once and deserves the retries; a write that waited the whole timeout (the event loop blocked)
 * would wait as long again on every attempt: ten attempts froze the server for 50 s before the 503.
 */
function waitedOutBusyTimeout(error: unknown, startedAt: number): boolean {
  return (error as { code?: unknown }).code === 'SQLITE_BUSY' && Date.now() - startedAt >= SQLITE_BUSY_TIMEOUT_MS;
}
