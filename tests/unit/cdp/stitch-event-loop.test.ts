import { beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { DELETE_CHUNK_ROWS } from '@/lib/db/delete-in-chunks';
import { linkAnonymousId } from '@/lib/cdp/identity/link';
import { eventsOf, freshDb, identify, ingest, MINUTE, T0, track } from './support';
import { turnsDuring } from '../support/event-loop';

// Anyone holding the public browser key can pile up an anonymous history and then sign up (or have the shop's server
// identify that browser). better-sqlite3 is synchronous: stitched in one UPDATE, 50,000 events held every request for
// ~7 s on a production build. The stitch now goes a chunk at a time with the event loop free in between, in the
// caller's one transaction.
const EVENTS = 2 * DELETE_CHUNK_ROWS + 500;
let db: DB;
beforeEach(async () => {
  db = await freshDb();
  const views = Array.from({ length: EVENTS }, () => track('Product Viewed', { anonymousId: 'anon-big' }));
  await ingest(db, views, T0, { trusted: false });
});

describe('stitching a large anonymous history', () => {
  it('gives the event loop a turn between chunks and stitches every event', async () => {
    const { turns, value } = await turnsDuring(() => linkAnonymousId(db, 'anon-big', 'cus_big', T0));
    expect(value).toBe(EVENTS);
    expect(turns).toBeGreaterThanOrEqual(2);
    const events = await eventsOf(db, 'anon-big');
    expect(events.every((e) => e.person_id === 'cus_big' && e.stitched === 1)).toBe(true);
  });

  it('moves it to the next person the browser is identified as the same way', async () => {
    await linkAnonymousId(db, 'anon-big', 'cus_first', T0);
    const at = new Date(T0.getTime() + MINUTE);
    const { turns } = await turnsDuring(() => linkAnonymousId(db, 'anon-big', 'cus_second', at));
    expect(turns).toBeGreaterThanOrEqual(2);
    expect(new Set((await eventsOf(db, 'anon-big')).map((e) => e.person_id))).toEqual(new Set(['cus_second']));
  });

  it('is still all or nothing: a transaction that fails after it leaves every event anonymous', async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await linkAnonymousId(trx, 'anon-big', 'cus_big', T0);
        throw new Error('after the stitch');
      }),
    ).rejects.toThrow('after the stitch');
    expect((await eventsOf(db, 'anon-big')).every((e) => e.person_id === null)).toBe(true);
  });

  it('through an identify sent by the shop’s server, the person gets the whole history', async () => {
    await ingest(db, [identify('cus_big', 'anon-big', { email: 'big@example.com' })], T0);
    const events = await eventsOf(db, 'anon-big');
    expect(events.filter((e) => e.person_id === 'cus_big')).toHaveLength(EVENTS + 1);
  });
});
