import type { Transaction } from 'kysely';
import { processState } from '@/lib/common/process-state';
import { dialectOf, isRetryableConflict } from './dialect';
import type { DB } from './index';
import { serializableTransaction, type SerializableOptions } from './transaction';
import type { Database } from './types';

type Work<T> = (trx: Transaction<Database>) => Promise<T>;
type Job = { work: Work<unknown>; size: number; resolve: (value: unknown) => void; reject: (error: unknown) => void };
type Queue = { waiting: Job[]; running: boolean; scheduled: boolean };

/**
 * The most a group holds, in the works' sizes (an ingest request's calls). A browser batch (50 calls) already shares
 * its commit among its calls and runs alone: grouped with others it only waited for them (p99 at 32 senders rose
 * from about 200 to 225 ms, for no more events/s), and waiting for its group's turn of the event loop cost it more.
 * It also bounds what a failed work makes the others run again.
 */
export const MAX_GROUP_SIZE = 50;

// On globalThis, as the database handle is: the ingest's fast path and its route handler are separate bundles.
const holder = processState<{ __groupedTransactions: WeakMap<object, Queue> }>({ __groupedTransactions: null });
const queueOf = (db: DB) => {
  const queues = (holder.__groupedTransactions ??= new WeakMap());
  let queue = queues.get(db);
  if (!queue) queues.set(db, (queue = { waiting: [], running: false, scheduled: false }));
  return queue;
};

/**
 * serializableTransaction for small independent works that arrive side by side (ingest requests), which on SQLite
 * share one transaction and one commit. SQLite has one writer, so they ran one after another anyway, each paying its
 * own begin, commit and WAL append (about a quarter of a single-call request's CPU in a profile, issue 13). The
 * works of a group run in arrival order, each seeing the ones before it as it would have seen them committed; each
 * caller resumes once the shared commit is on disk (the WAL flush, lib/db/wal-sync.ts), as with a transaction of its
 * own. A work that throws costs the others nothing but a second run (runGroup). PostgreSQL runs concurrent
 * transactions side by side: there each work has its own. `size`: the work's share of MAX_GROUP_SIZE (1 unless
 * given).
 */
export function groupedTransaction<T>(
  db: DB,
  work: Work<T>,
  { size = 1, ...options }: SerializableOptions & { size?: number } = {},
): Promise<T> {
  // A work as large as a group gains nothing from one: it goes straight to the connection, as before groups.
  if (dialectOf(db) === 'postgres' || size >= MAX_GROUP_SIZE) return serializableTransaction(db, work, options);
  const queue = queueOf(db);
  return new Promise<T>((resolve, reject) => {
    queue.waiting.push({ work, size, resolve: resolve as (value: unknown) => void, reject });
    if (!queue.running) scheduleGroup(db, queue);
  });
}

/**
 * The next group starts once this turn of the event loop has read what arrived (setImmediate runs after I/O):
 * better-sqlite3 is synchronous, so a group started at once would always be alone, every other request still
 * unread behind it.
 */
function scheduleGroup(db: DB, queue: Queue) {
  if (queue.scheduled) return;
  queue.scheduled = true;
  setImmediate(() => {
    queue.scheduled = false;
    if (!queue.running && queue.waiting.length) startGroup(db, queue);
  });
}

/** A group: the works waiting now, run (and committed) together; the next group forms once their works have run. */
function startGroup(db: DB, queue: Queue) {
  queue.running = true;
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    queue.running = false;
    // What arrived meanwhile forms the next group, which waits for the connection while this one commits.
    if (queue.waiting.length) scheduleGroup(db, queue);
  };
  let size = queue.waiting[0]!.size;
  let count = 1;
  while (count < queue.waiting.length && size + queue.waiting[count]!.size <= MAX_GROUP_SIZE) {
    size += queue.waiting[count]!.size;
    count++;
  }
  void runGroup(db, queue.waiting.splice(0, count), release);
}

/**
 * Runs the works in one transaction, in order. A work that throws rolls the transaction back: its caller gets the
 * error, and the others run again each in a transaction of its own (queued on the connection in arrival order), so a
 * second failing work costs the rest nothing more. A savepoint per work would undo less, but SQLite then copies each
 * page a work first writes to a statement journal: the inserts cost twice as much, more than the shared commit saved.
 * A conflict to retry runs the whole group again (serializableTransaction); any other failure fails every work.
 */
async function runGroup(db: DB, jobs: Job[], release: () => void) {
  const failed: { job?: Job; error?: unknown } = {};
  try {
    const values = await serializableTransaction(db, async (trx) => {
      const values: unknown[] = [];
      for (const job of jobs) {
        try {
          values.push(await job.work(trx));
        } catch (error) {
          if (!isRetryableConflict(error)) Object.assign(failed, { job, error });
          throw error;
        }
      }
      release();
      return values;
    });
    jobs.forEach((job, i) => job.resolve(values[i]));
  } catch (error) {
    const { job: culprit } = failed;
    if (culprit) culprit.reject(failed.error);
    else for (const job of jobs) job.reject(error);
    const rest = culprit ? jobs.filter((job) => job !== culprit) : [];
    const alone = rest.map((job) => serializableTransaction(db, job.work).then(job.resolve, job.reject));
    release();
    await Promise.all(alone);
  }
}
