import { beforeEach, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { journeyPass } from '@/lib/cdp/runtime/journey-pass';
import { CLEANSER, DAY, freshDb, identify, ingest, MINUTE, T0, testClock, track } from '../cdp/support';

// Incremental passes judge a profile on its window (engine/journeys/window.ts), not its whole history: these
// are the rules that would break if the window were cut shorter than the journeys need.
const HOUR = 60 * MINUTE;
let db: DB;
let clock: ReturnType<typeof testClock>;
const pass = () => journeyPass(db, { now: clock.now, liveCartStrategy: 'hold', appUrl: 'http://shop.test' });
const runs = (journey: string) =>
  db
    .selectFrom('journey_runs')
    .select(['id', 'status', 'reason'])
    .where('journey_id', '=', journey)
    .orderBy('trigger_seq')
    .execute();

const line = (quantity: number) => ({
  ...CLEANSER,
  quantity,
  image_url: 'http://shop.test/p.svg',
  product_url: 'http://shop.test/p/prod_gel',
});
const cart = (quantity: number) => ({
  added: { sku: CLEANSER.sku, variant_id: CLEANSER.variant_id, quantity: 1 },
  items: [line(quantity)],
  cart_value: CLEANSER.price * quantity,
  item_count: quantity,
  currency: 'USD',
  schema_version: 1,
});
const added = (quantity: number) => track('Added to Cart', { userId: 'cus_ada', properties: cart(quantity) });
const cartTrait = (quantity: number) => ({ ...cart(quantity), restore_url: 'http://shop.test/cart/restore/x.sig' });
/** A view received now; `happened`: sent later with its own (earlier) timestamp, as a flushed browser queue does. */
const viewed = (happened?: Date) =>
  track('Product Viewed', {
    userId: 'cus_ada',
    properties: { product_id: 'prod_gel' },
    ...(happened && { timestamp: happened.toISOString() }),
  });

beforeEach(async () => {
  db = await freshDb();
  clock = testClock(T0);
  await ingest(db, [identify('cus_ada', undefined, { email: 'ada@example.com', cart: cartTrait(1) })], clock.now);
});

it('one message per cart, however long the cart stays open: an add days later joins the messaged cart', async () => {
  await ingest(db, [added(1)], clock.now);
  await pass();
  clock.advance(2 * HOUR);
  await pass();
  expect(await runs('cart-recovery-hold')).toMatchObject([{ status: 'sent', reason: null }]);

  // Five days on (far outside any trigger's lookback), the same cart (no order, never emptied) grows.
  clock.advance(5 * DAY);
  await ingest(db, [added(2), identify('cus_ada', undefined, { cart: cartTrait(2) })], clock.now);
  await pass();
  clock.advance(2 * HOUR);
  await pass();
  expect(await runs('cart-recovery-hold')).toHaveLength(1);
  expect(await db.selectFrom('outbox').select('journey_id').execute()).toEqual([{ journey_id: 'cart-recovery-hold' }]);
});

it('the nth occurrence counts views from earlier passes within its window (the 2nd view in 24 h)', async () => {
  await ingest(db, [viewed()], clock.now);
  await pass();
  expect(await runs('browse-recovery')).toEqual([]);
  clock.advance(23 * HOUR);
  await ingest(db, [viewed()], clock.now);
  await pass();
  expect(await runs('browse-recovery')).toHaveLength(1);
});

it("a run in flight moves with time alone: its profile is judged from the run's anchor with nothing new", async () => {
  await ingest(db, [viewed()], clock.now);
  clock.advance(MINUTE);
  await ingest(db, [viewed()], clock.now);
  await pass();
  expect(await runs('browse-recovery')).toMatchObject([{ status: 'waiting' }]);
  // No event since: only the run in flight brings the profile into the pass, with its views from the anchor on.
  clock.advance(2 * HOUR);
  await pass();
  // Due: it ends (here `missing_data`, as the views carry no product), instead of waiting forever.
  expect((await runs('browse-recovery')).map((r) => r.status)).toEqual(['failed']);
});

// A pass judges a trigger only on a window that holds the trigger's own lookback. A due run brings its profile in
// from the run's anchor alone (nothing new): the views in the 24 h after that anchor then look like a 1st or 2nd
// view to a count that misses the views before it (QA: 5 views, a pass a minute apart, mailed on the 2nd and 3rd).
it('the nth occurrence starts one run however passes interleave with the views (one a minute, then 2 h)', async () => {
  for (let i = 0; i < 5; i++) {
    await ingest(db, [viewed()], clock.now);
    clock.advance(MINUTE);
    await pass();
  }
  clock.advance(2 * HOUR);
  await pass();
  clock.advance(2 * HOUR);
  await pass();
  // The 2nd view (trigger seq 3: the identify is seq 1) and no other.
  expect(await runs('browse-recovery')).toMatchObject([{ id: 'browse-recovery:3:cus_ada' }]);
});

it('one run per cart when a later window cuts an older cart: its adds were judged when they arrived', async () => {
  const order = () =>
    track('Order Completed', { userId: 'cus_ada', properties: { order_id: 'ord_1', total: 18, currency: 'USD' } });
  // Cart A: an add (its run), a second add 2 h later, the order; cart B an hour after that (its run).
  const known = (quantity: number) => [added(quantity), identify('cus_ada', undefined, { cart: cartTrait(quantity) })];
  for (const calls of [known(1), known(2), [order()], known(1)]) {
    await ingest(db, calls, clock.now);
    await pass();
    clock.advance(2 * HOUR);
    await pass();
  }
  const before = await runs('cart-recovery-hold');
  expect(before).toHaveLength(2);
  // A view the next day loads the tracks from 24 h before it: cart A's second add, not its first.
  clock.advance(17 * HOUR);
  await ingest(db, [viewed()], clock.now);
  await pass();
  for (const journey of ['cart-recovery-hold', 'cart-recovery-event', 'cart-recovery-lookback'])
    expect(await runs(journey), journey).toHaveLength(2);
});

it('a late view (an earlier timestamp) into a window whose later view started the run starts none', async () => {
  const start = clock.now.getTime();
  await ingest(db, [viewed()], clock.now);
  clock.advance(30 * MINUTE);
  await ingest(db, [viewed()], clock.now);
  clock.advance(MINUTE);
  await pass();
  // Sent at 31 m, it happened at 15 m: by time it is the 2nd view, but its window started its run on the view at 30 m.
  await ingest(db, [viewed(new Date(start + 15 * MINUTE))], clock.now);
  clock.advance(MINUTE);
  await pass();
  clock.advance(2 * HOUR);
  await pass();
  expect(await runs('browse-recovery')).toMatchObject([{ id: 'browse-recovery:3:cus_ada' }]);
});

// The minute tick reads the clock, runs the purges, then the pass: a view received meanwhile is new to the pass but
// not yet in the history at its `now`. It is judged by the next pass, as new: nothing else brings Ada back.
it('a view received after the pass read its clock is judged by the next pass', async () => {
  await ingest(db, [viewed()], clock.now);
  const read = clock.now;
  clock.advance(MINUTE);
  await ingest(db, [viewed()], clock.now);
  await journeyPass(db, { now: read, liveCartStrategy: 'hold', appUrl: 'http://shop.test' });
  expect(await runs('browse-recovery')).toEqual([]);
  clock.advance(MINUTE);
  await pass();
  expect(await runs('browse-recovery')).toMatchObject([{ id: 'browse-recovery:3:cus_ada', status: 'waiting' }]);
});
