import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { databaseNowMs } from '@/lib/db/dialect';
import { claimInterval, LeaseBusyError, withLease } from '@/lib/db/leases';
import { sharedDatabase } from '../support/database';

// Two handles on one database stand for two app instances (two pools on PostgreSQL, two connections on SQLite).
let a: DB;
let b: DB;
beforeEach(async () => {
  [a, b] = await sharedDatabase();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('claimInterval', () => {
  it('lets exactly one of many simultaneous claims run, then none until the interval has passed', async () => {
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => claimInterval(i % 2 ? a : b, 'tick:x', 400)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await claimInterval(a, 'tick:x', 400)).toBe(false);
    expect(await claimInterval(b, 'tick:other', 400)).toBe(true);
    await sleep(450);
    expect(await claimInterval(b, 'tick:x', 400)).toBe(true);
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
      .values({ name: 'pass', holder: 'crashed', expires_at: sql<number>`${databaseNowMs(a)} + 500`, started_at: 0 })
      .execute();
    await expect(withLease(b, 'pass', async () => 'ran', { waitMs: 0 })).rejects.toBeInstanceOf(LeaseBusyError);
    expect(await withLease(b, 'pass', async () => 'ran', { waitMs: 10_000 })).toBe('ran');
    const [row] = await a.selectFrom('job_leases').selectAll().execute();
    expect(row).toMatchObject({ name: 'pass', holder: null, expires_at: 0 });
  });

  it('keeps a long job’s lease by renewing it', async () => {
    const holding = withLease(a, 'pass', () => sleep(2_000), { ttlMs: 1_000 });
    await sleep(1_300);
    await expect(withLease(b, 'pass', async () => 'ran', { waitMs: 0 })).rejects.toBeInstanceOf(LeaseBusyError);
    await holding;
    expect(await withLease(b, 'pass', async () => 'ran', { waitMs: 0 })).toBe('ran');
  });
});
