import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { WELCOME_CODE } from '@/lib/shop/domain/welcome-code';
import { getOrder, placeOrder } from '@/lib/shop/server/orders';
import { freshOrderDb } from './order-db';
import { checkout, shown } from './checkout-input';

let db: DB;
freshOrderDb((fresh) => (db = fresh));

const lines = [{ sku: 'GL-CLN-GEL-150', quantity: 3 }];

/** Places a first order for a new attempt and returns it with the input it was placed with. */
async function placed(input: ReturnType<typeof checkout>) {
  const result = await placeOrder(db, input);
  if (result.status !== 'placed') throw new Error(`expected a new order, got ${result.status}`);
  return result;
}

// Only a hand-crafted request sends a quote for one country and ships to another, or a code its total does not
// include: the form always sends the quote it shows. Such a retry must not be confirmed as the order it placed.
describe('a checkout attempt sent again with other priced inputs than the order it placed', () => {
  it('is not confirmed when the shipping country differs, even with the placed quote', async () => {
    const idempotencyKey = randomUUID();
    const sweden = checkout('country@example.test', lines, { idempotencyKey, country: 'SE' });
    const first = await placed(sweden);
    // The quote (with its country) and the address are the placed ones; only the order's country is another.
    const answer = await placeOrder(db, { ...sweden, country: 'GB' });
    expect(answer).toMatchObject({ status: 'already_placed', orderId: first.orderId });
    expect(await getOrder(db, first.orderId)).toMatchObject({ country: 'SE' });
  });

  it('is not confirmed when the discount code differs, either way', async () => {
    const key = randomUUID();
    const withCode = {
      ...checkout('code@example.test', lines, { idempotencyKey: key, quote: shown(lines, 'US', WELCOME_CODE) }),
      discountCode: WELCOME_CODE,
    };
    const first = await placed(withCode);
    expect(first.order.discount_code).toBe(WELCOME_CODE);
    // The same quote (the discounted total), without the code.
    const answer = await placeOrder(db, { ...withCode, discountCode: undefined });
    expect(answer).toMatchObject({ status: 'already_placed', orderId: first.orderId });
    // Unchanged, it is the same order.
    expect(await placeOrder(db, withCode)).toMatchObject({ status: 'replayed', orderId: first.orderId });

    // An order placed without a code, retried with one (and the undiscounted total it was placed at).
    const plain = checkout('plain@example.test', lines);
    const second = await placed(plain);
    const retried = await placeOrder(db, { ...plain, discountCode: WELCOME_CODE });
    expect(retried).toMatchObject({ status: 'already_placed', orderId: second.orderId });
  });
});
