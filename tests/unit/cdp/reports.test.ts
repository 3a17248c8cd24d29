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

  it("counts a step by the profile's first event of it: by time, then by arrival when the times are equal", async () => {
    const at = T0.toISOString();
    const viewed = (fields: Record<string, unknown>) =>
      track('Product Viewed', { ...fields, timestamp: at, sentAt: at });
    await ingest(db, [identify('cus_cy', 'c1'), identify('cus_di', 'd1')], clock.now);
    // Same time: Cy's anonymous view arrived first, Di's known one did.
    await ingest(db, [viewed({ anonymousId: 'c1' }), viewed({ userId: 'cus_cy', anonymousId: 'c1' })], clock.now);
    await ingest(db, [viewed({ userId: 'cus_di', anonymousId: 'd1' }), viewed({ anonymousId: 'd1' })], clock.now);

    expect((await funnel(db))[0]).toEqual({ name: 'Product Viewed', profiles: 2, anonymous: 1, known: 1 });
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

    expect(await recoveredOrders(db)).toEqual({
      count: 1,
      revenue: [{ currency: 'USD', total: 18 }],
      latest: [
        {
          order_id: 'ord_recovered',
          person_id: 'cus_ada',
          message_id: message!.id,
          total: 18,
          currency: 'USD',
          ordered_at: new Date(T0.getTime() + 4 * HOUR).toISOString(),
        },
      ],
    });
  });

  it('reads any number of emailed people in one statement, credits each order to the latest email before it, and lists the latest', async () => {
    // 33,000 people emailed: one parameter per person (as this used to send) is more than SQLite takes (32,766).
    const sent = (n: number, person: string, at: Date, journey = 'cart-recovery-lookback') => ({
      id: `msg_${n}`,
      run_id: `run_${n}`,
      journey_id: journey,
      person_id: person,
      to_email: `${person}@example.com`,
      template_id: 'cart-recovery',
      subject: 'Your cart',
      html: '<p>cart</p>',
      text: 'cart',
      restore_url: null,
      scheduled_at: at.toISOString(),
      created_at: at.toISOString(),
    });
    const people = 33_000;
    const rows = Array.from({ length: people }, (_, i) => sent(i, `cus_${i}`, T0));
    for (let i = 0; i < rows.length; i += 1000)
      await db
        .insertInto('outbox')
        .values(rows.slice(i, i + 1000))
        .execute();
    // cus_1 got a second, later email: the order is credited to that one. cus_3's only email is not a cart one.
    await db
      .insertInto('outbox')
      .values(sent(people, 'cus_1', new Date(T0.getTime() + HOUR)))
      .execute();
    await db
      .insertInto('outbox')
      .values(sent(people + 1, 'cus_none', T0, 'browse-recovery'))
      .execute();

    clock.advance(2 * HOUR);
    await ingest(db, [order('cus_0', 'ord_a', 10.1)], clock.now);
    clock.advance(MINUTE);
    await ingest(db, [order('cus_1', 'ord_b', 20.2), order('cus_32999', 'ord_c', 30.3)], clock.now);
    await ingest(db, [order('cus_none', 'ord_not_a_cart_email', 99)], clock.now);
    clock.advance(72 * HOUR);
    await ingest(db, [order('cus_2', 'ord_too_late', 40)], clock.now);

    const recovered = await recoveredOrders(db, { limit: 2 });
    expect(recovered.count).toBe(3);
    // Summed in cents: 10.1 + 20.2 + 30.3 as floats is 60.599999999999994.
    expect(recovered.revenue).toEqual([{ currency: 'USD', total: 60.6 }]);
    expect(recovered.latest.map((o) => [o.order_id, o.message_id])).toEqual([
      ['ord_c', 'msg_32999'],
      ['ord_b', `msg_${people}`],
    ]);
  });
});
