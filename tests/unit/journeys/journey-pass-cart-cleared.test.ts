import { beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { journeyPass } from '@/lib/cdp/runtime/journey-pass';
import { addedToCart, cleanserCart, freshDb, identify, ingest, MINUTE, T0, testClock } from '../cdp/support';

// The `cart` person attribute cleared by the shop's server, through real ingest, stitching and passes of the journey
// runner (a storage suite: SQLite and PostgreSQL). The identifies are the ones lib/shop/server/tracking.ts sends.
const HOUR = 60 * MINUTE;

let db: DB;
let clock: ReturnType<typeof testClock>;
const pass = () => journeyPass(db, { now: clock.now, liveCartStrategy: 'lookback', appUrl: 'http://shop.test' });
const runsOf = async (personId: string) =>
  (
    await db
      .selectFrom('journey_runs')
      .select(['journey_id', 'status', 'reason', 'shadow', 'detail'])
      .where('person_id', '=', personId)
      .orderBy('journey_id')
      .orderBy('entered_at')
      .execute()
  ).map((r) => `${r.journey_id} ${r.status} ${r.reason}${r.shadow ? ' (shadow)' : ''}`);
const outbox = () => db.selectFrom('outbox').select(['person_id', 'to_email']).execute();
/** An add by a shopper the shop knows: the mirrored Added to Cart (with their id) and the `cart` it sets. */
const knownAdd = (userId: string, anonymousId: string) => [
  { ...addedToCart(anonymousId), userId },
  identify(userId, undefined, { cart: cleanserCart }),
];

beforeEach(async () => {
  db = await freshDb();
  clock = testClock(T0);
});

describe('anonymous add, sign up, log out, log in again from the emptied browser cart', () => {
  const ada = { email: 'ada@example.com', first_name: 'Ada' };

  beforeEach(async () => {
    await ingest(db, [addedToCart('anon-1')], clock.now);
    clock.advance(MINUTE);
    await ingest(db, [identify('cus_ada', 'anon-1', { ...ada, cart: cleanserCart })], clock.now);
    await pass();
    // Logout rotated the anonymous id and emptied the browser's cart, untracked; the login hands that empty cart.
    clock.advance(2 * MINUTE);
    await ingest(db, [identify('cus_ada', 'anon-2', { ...ada, cart: null })], clock.now);
    await pass();
    clock.advance(5 * HOUR);
    await pass();
  });

  it('the cart runs exit cart_emptied (they failed missing_data on the null cart); nothing is sent', async () => {
    expect(await runsOf('cus_ada')).toEqual([
      'cart-recovery-event failed no_email (shadow)',
      'cart-recovery-hold exited cart_emptied (shadow)',
      'cart-recovery-lookback exited cart_emptied',
    ]);
    expect(await outbox()).toEqual([]);
  });

  it('her next add is a new cart: the live lookback sends it', async () => {
    await ingest(db, knownAdd('cus_ada', 'anon-2'), clock.now);
    await pass();
    clock.advance(HOUR);
    await pass();
    expect(await runsOf('cus_ada')).toEqual([
      'cart-recovery-event failed no_email (shadow)',
      'cart-recovery-event sent null (shadow)',
      'cart-recovery-hold exited cart_emptied (shadow)',
      'cart-recovery-hold sent null (shadow)',
      'cart-recovery-lookback exited cart_emptied',
      'cart-recovery-lookback sent null',
    ]);
    expect(await outbox()).toEqual([{ person_id: 'cus_ada', to_email: 'ada@example.com' }]);
  });
});

it('an email correction: the mistyped customer’s cart runs exit cart_emptied on {cart: null}; nothing goes to it', async () => {
  // ada@gmial.com left in the popup (empty cart), then a cart filled as that customer.
  await ingest(db, [identify('cus_typo', 'anon-3', { email: 'ada@gmial.com', cart: null })], clock.now);
  clock.advance(MINUTE);
  await ingest(db, knownAdd('cus_typo', 'anon-3'), clock.now);
  await pass();
  // The checkout's address corrects it: the corrected customer, the old anonymous id linked to them, and the
  // mistyped customer's cart cleared (identifyCustomer's three calls).
  clock.advance(5 * MINUTE);
  await ingest(
    db,
    [
      identify('cus_ada', 'anon-4', { email: 'ada@example.com', cart: cleanserCart }),
      identify('cus_ada', 'anon-3'),
      identify('cus_typo', undefined, { cart: null }),
    ],
    clock.now,
  );
  await pass();
  clock.advance(2 * HOUR);
  await pass();
  expect(await runsOf('cus_typo')).toEqual([
    'cart-recovery-event exited cart_emptied (shadow)',
    'cart-recovery-hold exited cart_emptied (shadow)',
    'cart-recovery-lookback exited cart_emptied',
  ]);
  expect((await outbox()).filter((m) => m.to_email === 'ada@gmial.com')).toEqual([]);
});
