import { beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { funnel } from '@/lib/cdp/read/funnel';
import { journeyPass } from '@/lib/cdp/runtime/journey-pass';
import { recoveredOrders } from '@/lib/cdp/read/journey-report';
import {
  addedToCart,
  cartItem,
  cleanserCart,
  freshDb,
  identify,
  ingest,
  MINUTE,
  T0,
  testClock,
  track,
} from './support';

// The console's two reports: the anonymous/known funnel and orders recovered by a cart email.
const HOUR = 60 * MINUTE;
const order = (userId: string, orderId: string, total: number) =>
  track('Order Completed', {
    userId,
    properties: {
      order_id: orderId,
      items: [cartItem],
      subtotal: total,
      shipping: 0,
      tax: 0,
      total,
      currency: 'USD',
      schema_version: 1,
    },
  });

let db: DB;
let clock: ReturnType<typeof testClock>;
beforeEach(async () => {
  db = await freshDb();
  clock = testClock(T0);
});

describe('funnel', () => {
  it('counts each profile once per step, split by whether it took the step before being known', async () => {
    await ingest(
      db,
      [
        track('Product Viewed', { anonymousId: 'a1' }),
        track('Product Viewed', { anonymousId: 'a1' }),
        addedToCart('a1'),
      ],
      clock.now,
    );
    await ingest(db, [track('Product Viewed', { anonymousId: 'a2' })], clock.now);
    clock.advance(HOUR);
    await ingest(db, [identify('cus_ada', 'a1', { email: 'ada@example.com' })], clock.now);
    await ingest(
      db,
      [track('Checkout Started', { userId: 'cus_ada', anonymousId: 'a1' }), order('cus_ada', 'ord_1', 18)],
      clock.now,
    );

    expect(await funnel(db)).toEqual([
      { name: 'Product Viewed', profiles: 2, anonymous: 2, known: 0 },
      { name: 'Added to Cart', profiles: 1, anonymous: 1, known: 0 },
      { name: 'Checkout Started', profiles: 1, anonymous: 0, known: 1 },
      { name: 'Order Completed', profiles: 1, anonymous: 0, known: 1 },
    ]);
  });
});

describe('recovered orders', () => {
  it('credits server-confirmed orders placed within 72 h after a cart recovery email, and no others', async () => {
    const pass = () => journeyPass(db, { now: clock.now, liveCartStrategy: 'lookback', appUrl: 'http://shop.test' });
    await ingest(db, [addedToCart('a1')], clock.now);
    await ingest(db, [order('cus_bob', 'ord_before', 30)], clock.now); // another person, no email sent to them
    clock.advance(HOUR);
    await ingest(db, [identify('cus_ada', 'a1', { email: 'ada@example.com', cart: cleanserCart })], clock.now);
    await pass();
    clock.advance(HOUR);
    await pass();
    const [message] = await db.selectFrom('outbox').select(['id', 'created_at']).execute();
    expect(message).toBeDefined();

    clock.advance(2 * HOUR);
    await ingest(db, [order('cus_ada', 'ord_recovered', 18)], clock.now);
    // The browser write key is public: even from Ada's own browser (its anonymous id linked to her, so the call
    // lands on her), an Order Completed could carry any total. Stored, not credited.
    const fromAdasBrowser = { ...order('cus_ada', 'ord_forged', 5000), anonymousId: 'a1' };
    const forged = await ingest(db, [fromAdasBrowser], clock.now, { trusted: false });
    expect(forged).toMatchObject({ stored: 1, rejected: 0 });
    clock.advance(72 * HOUR);
    await ingest(db, [order('cus_ada', 'ord_too_late', 25)], clock.now);

    expect(await recoveredOrders(db)).toEqual([
      {
        order_id: 'ord_recovered',
        person_id: 'cus_ada',
        message_id: message!.id,
        total: 18,
        currency: 'USD',
        ordered_at: new Date(T0.getTime() + 4 * HOUR).toISOString(),
      },
    ]);
  });
});
