import { describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { quoteOrder } from '@/lib/shop/domain/pricing';
import { SPENT_CODE, WELCOME_CODE } from '@/lib/shop/domain/welcome-code';
import { PROBE_LIMIT } from '@/lib/shop/server/auth/rate-limit';
import { checkGuestDiscountCode } from '@/lib/shop/server/discounts';
import { getOrder, placeOrder } from '@/lib/shop/server/orders';
import { freshOrderDb } from './order-db';
import { checkout, type Line } from './checkout-input';

// A storage suite: runs on SQLite and on PostgreSQL. Catalogue: GL-CLN-GEL-150 $18.00; US tax 7.25 %.
let db: DB;
freshOrderDb((fresh) => (db = fresh));

const cart: Line[] = [{ sku: 'GL-CLN-GEL-150', quantity: 1 }];
/** The checkout a browser sends after the summary showed the quote with `code` applied. */
const withCode = (email: string, code: string, applied: string | undefined = WELCOME_CODE) => {
  const q = quoteOrder(cart, 'US', applied === WELCOME_CODE ? WELCOME_CODE : undefined);
  const quote = { country: 'US' as const, totalCents: q.totalCents, lines: checkout(email, cart).quote.lines };
  return { ...checkout(email, cart, { quote }), discountCode: code };
};
const orderCount = async () =>
  Number(
    (
      await db
        .selectFrom('orders')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('the welcome code when placing an order', () => {
  it('takes 10% off a first order and stores the code and the discount with the total', async () => {
    const placed = await placeOrder(db, withCode('first@example.test', WELCOME_CODE));
    expect(placed.status).toBe('placed');
    const order = 'orderId' in placed ? await getOrder(db, placed.orderId) : undefined;
    // $18.00 − $1.80 = $16.20; tax 7.25 % of 1620 = 117.45 → 117; shipping $5.95 (the $18 subtotal is under $50).
    expect(order).toMatchObject({ subtotal_cents: 1800, discount_cents: 180, discount_code: WELCOME_CODE });
    expect(order).toMatchObject({ shipping_cents: 595, tax_cents: 117, total_cents: 1620 + 595 + 117 });
  });

  it('refuses it on a second order for the same email (any spelling): nothing stored, the total without it', async () => {
    expect((await placeOrder(db, withCode('again@example.test', 'welcome10'))).status).toBe('placed');
    const second = await placeOrder(db, withCode(' Again@Example.test', ' Welcome10 '));
    expect(second).toMatchObject({ status: 'code_refused', error: SPENT_CODE });
    expect('quote' in second && second.quote).toMatchObject({
      discountCents: 0,
      totalCents: quoteOrder(cart, 'US').totalCents,
    });
    expect(await orderCount()).toBe(1);
  });

  it('refuses it for a signed-in customer who has ordered, whatever email the form shows', async () => {
    const first = await placeOrder(db, withCode('member@example.test', WELCOME_CODE));
    const customerId = 'customerId' in first ? first.customerId : undefined;
    const second = await placeOrder(db, withCode('other@example.test', WELCOME_CODE), customerId);
    expect(second.status).toBe('code_refused');
    expect(await orderCount()).toBe(1);
  });

  it('answers an unknown code with an error and the total without a discount', async () => {
    const result = await placeOrder(db, withCode('new@example.test', 'SAVE50', undefined));
    expect(result).toMatchObject({ status: 'code_refused', error: expect.stringContaining('"SAVE50"') });
    expect(await orderCount()).toBe(0);
  });

  it('reads orders placed without a code as no discount', async () => {
    const placed = await placeOrder(db, checkout('plain@example.test', cart));
    const order = 'orderId' in placed ? await getOrder(db, placed.orderId) : undefined;
    expect(order).toMatchObject({
      discount_cents: 0,
      discount_code: null,
      total_cents: quoteOrder(cart, 'US').totalCents,
    });
  });
});

describe('the welcome code asked for a guest email (the quote)', () => {
  it('counts each "ordered before" answer as a probe of the client, and past the limit refuses to say', async () => {
    await placeOrder(db, checkout('bought@example.test', cart));
    const now = new Date();
    for (let i = 0; i < PROBE_LIMIT; i++)
      expect(await checkGuestDiscountCode(db, 'welcome10', 'bought@example.test', '203.0.113.9', now)).toEqual({
        error: SPENT_CODE,
      });
    // The 11th answer would tell again whether an address has ordered: refused, for any address, from that client.
    const refused = await checkGuestDiscountCode(db, WELCOME_CODE, 'new@example.test', '203.0.113.9', now);
    expect(refused.error).toMatch(/^Too many attempts with a discount code\. Try again in \d+ minutes?\.$/);
    // Another client, and an address that never ordered, are answered as usual; those answers count nothing.
    expect(await checkGuestDiscountCode(db, WELCOME_CODE, 'new@example.test', '203.0.113.10', now)).toEqual({
      code: WELCOME_CODE,
    });
    for (let i = 0; i < PROBE_LIMIT + 1; i++)
      expect(await checkGuestDiscountCode(db, WELCOME_CODE, `new${i}@example.test`, '203.0.113.11', now)).toEqual({
        code: WELCOME_CODE,
      });
  });
});

describe('the welcome code placed by a guest (Place order)', () => {
  it('counts each spent-code refusal as a probe of the client, shared with the quote, and past the limit refuses', async () => {
    await placeOrder(db, checkout('bought@example.test', cart));
    const now = new Date();
    const client = '198.51.100.7';
    const place = (email: string, i: number, from = client) =>
      placeOrder(db, { ...withCode(email, WELCOME_CODE), idempotencyKey: `probe-${from}-${i}` }, undefined, {
        now,
        client: from,
      });
    for (let i = 0; i < PROBE_LIMIT - 1; i++)
      expect(await place('bought@example.test', i)).toMatchObject({ status: 'code_refused', error: SPENT_CODE });
    // The quote's answers draw on the same allowance: the tenth is spent there.
    expect(await checkGuestDiscountCode(db, WELCOME_CODE, 'bought@example.test', client, now)).toEqual({
      error: SPENT_CODE,
    });
    // From here no answer about any address: not for one that has ordered, not for a new one (nothing is placed).
    for (const email of ['bought@example.test', 'new@example.test']) {
      const refused = await place(email, 100);
      expect(refused).toMatchObject({ status: 'code_refused' });
      expect('error' in refused && refused.error).toMatch(/^Too many attempts with a discount code\. Try again in/);
    }
    expect(await orderCount()).toBe(1);
    // Another client is answered as usual.
    expect((await place('new@example.test', 0, '198.51.100.8')).status).toBe('placed');
  });

  it('answers a retry of an attempt that already placed its order, even once the client is out of probes', async () => {
    const now = new Date();
    const first = { ...withCode('first@example.test', WELCOME_CODE), idempotencyKey: 'retry-1' };
    expect((await placeOrder(db, first, undefined, { now, client: '198.51.100.9' })).status).toBe('placed');
    for (let i = 0; i < PROBE_LIMIT; i++)
      await checkGuestDiscountCode(db, WELCOME_CODE, 'first@example.test', '198.51.100.9', now);
    expect((await placeOrder(db, first, undefined, { now, client: '198.51.100.9' })).status).toBe('replayed');
  });
});
