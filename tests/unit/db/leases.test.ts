import { sql, TableNode, UpdateQueryNode } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DB } from '@/lib/db';
import { databaseNowMs } from '@/lib/db/dialect';
import { claimInterval, LeaseBusyError, withLease } from '@/lib/db/leases';
import { sharedDatabase } from '../support/database';
import { failQueries } from '../support/faults';

// Two handles on one database stand for two app instances (two pools on PostgreSQL, two connections on SQLite).
let a: DB;
let b: DB;
beforeEach(async () => {
  [a, b] = await sharedDatabase();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
afterEach(() => vi.restoreAllMocks());

/** Work that checks its lease between steps, as a journey pass does between slices, for up to 20 s. */
async function stepsUntilStopped(lease: AbortSignal) {
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    lease.throwIfAborted();
    await sleep(50);
  }
  return 'carried on to the end';
}

async function leaseHolder(db: DB, name: string) {
  return (await db.selectFrom('job_leases').select('holder').where('name', '=', name).executeTakeFirst())?.holder;
}

describe('claimInterval', () => {
  it('lets exactly one of many simultaneous claims run, and none more within the interval', async () => {
    const claim = (db: DB) => claimInterval(db, 'tick:x', 60_000);
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => claim(i % 2 ? a : b)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await claim(a)).toBe(false);
    expect(await claimInterval(b, 'tick:other', 60_000)).toBe(true);
  });

  it('lets the next claim run once the interval has passed on the database clock', async () => {
    expect(await claimInterval(a, 'tick:y', 300)).toBe(true);
    await sleep(400);
    expect(await claimInterval(b, 'tick:y', 300)).toBe(true);
  });
});

describe('withLease', () => {
  it('never lets two holders work at once, whichever instance they are on', async () => {
    let active = 0;
    let most = 0;
    const work = async () => {
      most = Math.max(most, ++active);
      await sleep(30);
      active--;
    };
    await Promise.all(Array.from({ length: 6 }, (_, i) => withLease(i % 2 ? a : b, 'pass', work, { waitMs: 10_000 })));
    expect(most).toBe(1);
  });

  it('frees the lease of a holder that crashed once it expires, and says so to a caller that will not wait', async () => {
    // A holder that died: its lease was never released and is no longer renewed.
    await a
      .insertInto('job_leases')
      .values({ name: 'pass', holder: 'crashed', expires_at: sql<number>`${databaseNowMs(a)} + 2000`, started_at: 0 })
      .execute();
    await expect(withLease(b, 'pass', async () => 'ran', { waitMs: 0 })).rejects.toBeInstanceOf(LeaseBusyError);
    expect(await withLease(b, 'pass', async () => 'ran', { waitMs: 10_000 })).toBe('ran');
    const [row] = await a.selectFrom('job_leases').selectAll().execute();
    expect(row).toMatchObject({ name: 'pass', holder: null, expires_at: 0 });
  });

  it('keeps a long job’s lease by renewing it', async () => {
    const holding = withLease(a, 'pass', () => sleep(3_000), { ttlMs: 1_500 });
    await sleep(2_000);
    await expect(withLease(b, 'pass', async () => 'ran', { waitMs: 0 })).rejects.toBeInstanceOf(LeaseBusyError);
    await holding;
    expect(await withLease(b, 'pass', async () => 'ran', { waitMs: 0 })).toBe('ran');
  });

  it('stops a holder at its next step once another instance has taken its lease', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const holding = withLease(a, 'pass', stepsUntilStopped, { ttlMs: 900 });
    await expect.poll(() => leaseHolder(b, 'pass')).toBeTruthy();
    // Its renewals failed long enough for the lease to expire, and another instance took it.
    await b
      .updateTable('job_leases')
      .set({ holder: 'other-instance', expires_at: sql<number>`${databaseNowMs(b)} + 60000` })
      .where('name', '=', 'pass')
      .execute();
    await expect(holding).rejects.toMatchObject({ name: 'LeaseLostError', message: /another holder has it/ });
    expect(await leaseHolder(b, 'pass'), 'the new holder keeps its lease').toBe('other-instance');
  });

  it('stops a holder whose renewals keep failing once its lease may have expired', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // The database refuses every renewal (and the release): busy, or not answering.
    const renewalsFail = failQueries(
      a,
      (node) =>
        UpdateQueryNode.is(node) &&
        !!node.table &&
        TableNode.is(node.table) &&
        node.table.table.identifier.name === 'job_leases',
    );
    await expect(withLease(renewalsFail, 'pass', stepsUntilStopped, { ttlMs: 900 })).rejects.toMatchObject({
      name: 'LeaseLostError',
      message: /not renewed for 900 ms/,
    });
    expect(errors).toHaveBeenCalledWith(expect.stringMatching(/lease "pass" lost/));
  });
});
