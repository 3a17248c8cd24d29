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
  const viewed = () => track('Product Viewed', { userId: 'cus_ada', properties: { product_id: 'prod_gel' } });
  await ingest(db, [viewed()], clock.now);
  await pass();
  expect(await runs('browse-recovery')).toEqual([]);
  clock.advance(23 * HOUR);
  await ingest(db, [viewed()], clock.now);
  await pass();
  expect(await runs('browse-recovery')).toHaveLength(1);
});

it("a run in flight moves with time alone: its profile is judged from the run's anchor with nothing new", async () => {
  const viewed = () => track('Product Viewed', { userId: 'cus_ada', properties: { product_id: 'prod_gel' } });
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
