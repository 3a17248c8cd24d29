import crypto from 'node:crypto';
import { sql } from 'kysely';
import { SECOND } from '@/lib/common/duration';
import { databaseNowMs } from './dialect';
import type { DB } from './index';
import { commitSealedLater } from './wal-sync';

/**
 * Coordination between app instances that share one database, on both dialects, through the job_leases table.
 * - `claimInterval`: "at most once per interval across instances" (the minute jobs).
 * - `withLease`: "one holder at a time" for work that must not overlap (a journey pass). The holder renews the
 *   lease while it works; a crashed holder stops renewing, so the lease expires and nobody waits on it forever.
 * Each claim is one atomic upsert: PostgreSQL locks the row and re-checks the condition, SQLite has one writer.
 *
 * On a SQLite file a lease's writes (claim, renewal, release) commit without an fsync (commitSealedLater): the
 * instances sharing the file share its machine, so a power cut that takes a lease write back has also stopped
 * every holder, and a lease is only ever read by live instances. Each fsync blocked the event loop for 4–15 ms
 * on a shared disk, two per journey pass (claim and release), a tenth of a pass with 1k new events.
 */

export const DEFAULT_TTL_MS = 30 * SECOND;
const POLL_MS = 100;

/**
 * Starts the interval named `name` unless some instance started it less than `everyMs` ago (database clock).
 * True when this caller won and should run the job.
 */
export async function claimInterval(db: DB, name: string, everyMs: number): Promise<boolean> {
  const now = databaseNowMs(db);
  const row = await db
    .insertInto('job_leases')
    .values({ name, holder: null, expires_at: 0, started_at: now })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ started_at: now })
        .where('job_leases.started_at', '<=', sql<number>`${now} - ${everyMs}`),
    )
    .returning('name')
    .executeTakeFirst();
  return row !== undefined;
}

async function tryAcquire(db: DB, name: string, holder: string, ttlMs: number): Promise<boolean> {
  const now = databaseNowMs(db);
  const until = sql<number>`${now} + ${ttlMs}`;
  const row = await commitSealedLater(db, (conn) =>
    conn
      .insertInto('job_leases')
      .values({ name, holder, expires_at: until, started_at: now })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet({ holder, expires_at: until, started_at: now })
          .where('job_leases.expires_at', '<', now),
      )
      .returning('holder')
      .executeTakeFirst(),
  );
  return row?.holder === holder;
}

async function renew(db: DB, name: string, holder: string, ttlMs: number): Promise<boolean> {
  const result = await commitSealedLater(db, (conn) =>
    conn
      .updateTable('job_leases')
      .set({ expires_at: sql<number>`${databaseNowMs(conn)} + ${ttlMs}` })
      .where('name', '=', name)
      .where('holder', '=', holder)
      .executeTakeFirst(),
  );
  return Number(result.numUpdatedRows) > 0;
}

export type LeaseOptions = {
  /** How long the lease outlives its holder's last renewal (renewed every third of it). */
  ttlMs?: number;
  /** How long to wait for another holder to finish; 0 gives up at once. */
  waitMs?: number;
};

export class LeaseBusyError extends Error {
  constructor(name: string) {
    super(`"${name}" is still running on another instance; try again shortly`);
  }
}

/** Why a holder's `lease` signal was aborted; told by name (bundles may hold separate copies of this class). */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
  constructor(name: string, why: string) {
    super(
      `lease "${name}" lost (${why}): another instance may hold it now, so this holder stops at its next safe point`,
    );
  }
}

/**
 * Runs `work` while holding the lease `name`; waits up to `waitMs` for it, then throws LeaseBusyError. The lease is
 * renewed every third of `ttlMs`. When it is lost — a renewal finds another holder, or renewals have failed (the
 * database not answering) for a whole `ttlMs`, after which another instance may take it — the `lease` signal given
 * to `work` is aborted with a LeaseLostError: work must stop at its next safe point (it is idempotent, and redone by
 * the new holder) rather than carry on beside it; throwing the signal's reason makes withLease reject with it.
 */
export async function withLease<T>(
  db: DB,
  name: string,
  work: (lease: AbortSignal) => Promise<T>,
  { ttlMs = DEFAULT_TTL_MS, waitMs = 2 * DEFAULT_TTL_MS }: LeaseOptions = {},
): Promise<T> {
  const holder = crypto.randomUUID();
  const giveUpAt = Date.now() + waitMs;
  for (;;) {
    // The local time before the claim: the lease runs ttlMs from a database time at or after it.
    const claimedAt = Date.now();
    if (await tryAcquire(db, name, holder, ttlMs)) {
      const lost = new AbortController();
      const stopRenewing = keepRenewing(db, name, holder, ttlMs, claimedAt, lost);
      try {
        return await work(lost.signal);
      } finally {
        stopRenewing();
        await release(db, name, holder);
      }
    }
    if (Date.now() >= giveUpAt) throw new LeaseBusyError(name);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * The heartbeat: renews every third of the TTL, one renewal at a time, and aborts `lost` once the lease is gone.
 * Returns its stop (a renewal still on its way when the work ends says nothing about the work).
 */
function keepRenewing(db: DB, name: string, holder: string, ttlMs: number, heldSince: number, lost: AbortController) {
  // Local time before the last renewal that succeeded: the lease is good until ttlMs after it at least.
  let renewedAt = heldSince;
  let renewing = false;
  let stopped = false;
  const lose = (why: string) => {
    if (stopped || lost.signal.aborted) return;
    const error = new LeaseLostError(name, why);
    console.error(`[db] ${error.message}`);
    lost.abort(error);
  };
  const heartbeat = setInterval(() => {
    if (Date.now() - renewedAt >= ttlMs) return lose(`not renewed for ${ttlMs} ms`);
    // A renewal still waiting on the database is not doubled; the check above still runs on every beat.
    if (renewing || lost.signal.aborted) return;
    renewing = true;
    const startedAt = Date.now();
    renew(db, name, holder, ttlMs)
      .then((held) => (held ? (renewedAt = startedAt) : lose('another holder has it')))
      .catch((error) => console.error(`[db] could not renew lease "${name}"`, error))
      .finally(() => (renewing = false));
  }, ttlMs / 3);
  heartbeat.unref();
  return () => {
    stopped = true;
    clearInterval(heartbeat);
  };
}

/** A release that fails (database gone) must not hide the work's own outcome: the lease then expires. */
async function release(db: DB, name: string, holder: string): Promise<void> {
  await commitSealedLater(db, (conn) =>
    conn
      .updateTable('job_leases')
      .set({ holder: null, expires_at: 0 })
      .where('name', '=', name)
      .where('holder', '=', holder)
      .execute(),
  ).catch((error) => console.error(`[db] could not release lease "${name}"`, error));
}
