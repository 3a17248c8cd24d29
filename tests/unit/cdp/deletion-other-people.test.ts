import { beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { getTimeline } from '@/lib/cdp/read/timeline';
import { freshDb, identify, ingest, T0, testClock, track } from './support';

// `User Deleted` removes the person's events and their devices' anonymous ones, never another person's: an event of
// someone else that carries one of the deleted person's anonymous ids stays on its timeline, without that id.
const VICTIM = 'cus_victim0000000000';
const STRANGER = 'cus_stranger00000000';
let db: DB;
let clock: ReturnType<typeof testClock>;
beforeEach(async () => {
  db = await freshDb();
  clock = testClock(T0);
  await ingest(db, [identify(VICTIM, 'victim-phone', { email: 'victim@example.com' })], clock.now);
});

const timelineOf = async (userId: string) =>
  (await getTimeline(db, userId)).map((e) => [e.type, e.name ?? null, e.anonymous_id]);

describe('User Deleted of one person', () => {
  it("keeps another person's event sent from their browser: a guest order placed for her by the deleted stranger", async () => {
    // The stranger places a guest order with the victim's address (a gift): the shop's server sends its Order
    // Completed with her customer id and the stranger's browser, which is not linked to her.
    const order = track('Order Completed', {
      userId: VICTIM,
      anonymousId: 'stranger-laptop',
      properties: { order_id: 'ord_1', total: 20 },
    });
    await ingest(db, [order], clock.now);
    // Then the stranger signs up on that browser, and later has their account deleted.
    await ingest(db, [identify(STRANGER, 'stranger-laptop', { email: 'stranger@example.com' })], clock.now);
    await ingest(db, [track('Product Viewed', { anonymousId: 'stranger-laptop' })], clock.now);
    await ingest(db, [track('User Deleted', { userId: STRANGER })], clock.now);

    expect(await timelineOf(VICTIM)).toEqual([
      ['identify', null, 'victim-phone'],
      ['track', 'Order Completed', null],
    ]);
    // Nothing of the stranger's is left, not even their browser's id on her event.
    const left = await db.selectFrom('cdp_events').select(['anonymous_id', 'user_id']).orderBy('seq').execute();
    expect(left).toEqual([
      { anonymous_id: 'victim-phone', user_id: VICTIM },
      { anonymous_id: null, user_id: VICTIM },
    ]);
  });

  it('keeps the calls of a browser’s earlier customer when a later one on that browser is deleted', async () => {
    // A shared browser identified as the victim (her own calls name her), then as the stranger.
    await ingest(db, [identify(VICTIM, 'family-pc')], clock.now);
    await ingest(db, [track('Product Viewed', { userId: VICTIM, anonymousId: 'family-pc' })], clock.now);
    await ingest(db, [identify(STRANGER, 'family-pc', { email: 'stranger@example.com' })], clock.now);
    await ingest(db, [track('User Deleted', { userId: STRANGER })], clock.now);

    expect(await timelineOf(VICTIM)).toEqual([
      ['identify', null, 'victim-phone'],
      ['identify', null, null],
      ['track', 'Product Viewed', null],
    ]);
  });
});
