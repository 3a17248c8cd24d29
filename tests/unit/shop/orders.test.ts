import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { formatMoney, quoteOrder } from '@/lib/shop/domain/pricing';
import { quoteChangedMessage } from '@/lib/shop/domain/quote-check';
import { registerCustomer } from '@/lib/shop/server/auth/accounts';
import { findOrCreateCustomerByEmail } from '@/lib/shop/server/customers';
import { orderUrl } from '@/lib/shop/server/order-links';
import { formatOrderNumber } from '@/lib/shop/server/order-numbers';
import { canViewOrder, getOrder, listAccountOrders, placeOrder } from '@/lib/shop/server/orders';
import { freshOrderDb } from './order-db';
import { checkout, shown } from './checkout-input';

let db: DB;
freshOrderDb((fresh) => (db = fresh));

/** Places an order that must be stored (not replayed, not refused), for tests about what happens next. */
async function placeNew(...args: Parameters<typeof placeOrder>) {
  const result = await placeOrder(...args);
  if (result.status !== 'placed') throw new Error(`expected a new order, got ${result.status}`);
  return result;
}

const count = async (table: 'orders' | 'customers' | 'order_lines') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('placeOrder', () => {
  it('charges catalogue prices whatever price the client put on a line', async () => {
    const input = checkout('buyer@example.test', [
      { sku: 'GL-CLN-GEL-150', quantity: 2, unitPriceCents: 1, price: 1 },
      { sku: 'GL-SER-NIA-30', quantity: 1, priceCents: 1 },
    ]);
    // Catalogue: GL-CLN-GEL-150 $18.00, GL-SER-NIA-30 $24.00. US: 7.25 % tax, shipping free from $50.
    const subtotal = 2 * 1800 + 2400; // 6000
    const tax = 435; // 6000 × 7.25 %
    const placed = await placeNew(db, input);
    const order = await getOrder(db, placed.orderId);
    // What placeOrder hands back (checkout tracks Order Completed from it) is exactly what was stored.
    expect(placed.order).toEqual(order);
    expect(order).toMatchObject({
      subtotal_cents: subtotal,
      shipping_cents: 0,
      tax_cents: tax,
      total_cents: subtotal + tax,
      placed_signed_in: 0,
    });
    expect(order?.lines.map((l) => [l.sku, l.quantity, l.unit_price_cents])).toEqual([
      ['GL-CLN-GEL-150', 2, 1800],
      ['GL-SER-NIA-30', 1, 2400],
    ]);
  });

  it('resolves a guest to the customer their email already belongs to', async () => {
    const captured = await findOrCreateCustomerByEmail(db, 'popup@example.test', { acquisitionSource: 'popup' });
    const placed = await placeNew(db, checkout('Popup@Example.test', [{ sku: 'GL-CLN-GEL-150', quantity: 1 }]));
    expect(placed).toMatchObject({ customerId: captured.id, customerCreated: false });
    const first = await placeNew(db, checkout('first-order@example.test', [{ sku: 'GL-CLN-GEL-150', quantity: 1 }]));
    expect(first.customerCreated).toBe(true);
  });

  it('lists only orders placed while signed in on the account', async () => {
    const account = await registerCustomer(db, { email: 'member@example.test', password: 'password1', name: 'M' });
    if (!account.ok) throw new Error(account.error);
    const id = account.customer.id;
    const guest = await placeNew(db, checkout('member@example.test', [{ sku: 'GL-CLN-GEL-150', quantity: 1 }]));
    const member = await placeNew(db, checkout('ignored@example.test', [{ sku: 'GL-SER-NIA-30', quantity: 1 }]), id);
    expect(guest.customerId).toBe(id);
    expect(member.customerId).toBe(id);
    expect((await getOrder(db, member.orderId))?.email).toBe('member@example.test');
    expect((await listAccountOrders(db, id)).map((o) => o.id)).toEqual([member.orderId]);
  });
});

describe('placing only at the total shown', () => {
  const lines = [{ sku: 'GL-SER-NIA-30', quantity: 1 }];

  it.each([
    ['another country', { ...shown(lines, 'US') }, 'SE' as const, 'country'],
    [
      'a total one cent off',
      { ...shown(lines, 'SE'), totalCents: shown(lines, 'SE').totalCents - 1 },
      'SE' as const,
      'prices',
    ],
    ['a different cart', shown([{ sku: 'GL-SER-NIA-30', quantity: 2 }], 'SE'), 'SE' as const, 'cart'],
    [
      'an old unit price',
      { ...shown(lines, 'SE'), lines: [{ sku: 'GL-SER-NIA-30', quantity: 1, unitPriceCents: 2000 }] },
      'SE' as const,
      'prices',
    ],
  ])('stores nothing for a quote shown with %s, and returns the new quote', async (_case, quote, country, change) => {
    const result = await placeOrder(db, checkout('stale@example.test', lines, { country, quote }));
    expect(result).toEqual({ status: 'quote_changed', change, quote: quoteOrder(lines, country) });
    expect([await count('orders'), await count('order_lines'), await count('customers')]).toEqual([0, 0, 0]);
  });

  it('places the order once the shopper confirms the new total', async () => {
    const key = randomUUID();
    const stale = await placeOrder(
      db,
      checkout('b@example.test', lines, { country: 'SE', quote: shown(lines, 'US'), idempotencyKey: key }),
    );
    if (stale.status !== 'quote_changed') throw new Error('expected the quote to have changed');
    // The form shows stale.quote; placing again (same attempt) sends what it now shows.
    const again = await placeNew(db, checkout('b@example.test', lines, { country: 'SE', idempotencyKey: key }));
    expect(again.order.total_cents).toBe(stale.quote.totalCents);
    expect(again.order.country).toBe('SE');
  });

  it('says what changed, the new total, and that nothing was placed', () => {
    const fresh = quoteOrder(lines, 'SE');
    const message = quoteChangedMessage('country', shown(lines, 'US'), fresh, 'SE');
    expect(message).toContain('United States');
    expect(message).toContain(`shipping to Sweden it is ${formatMoney(fresh.totalCents)}`);
    expect(message).toContain('No order was placed.');
  });
});

describe('idempotency', () => {
  const lines = [{ sku: 'GL-CLN-GEL-150', quantity: 1 }];

  it('answers a retry with the same key with the order the first attempt placed', async () => {
    const input = checkout('retry@example.test', lines);
    const first = await placeNew(db, input);
    const retry = await placeOrder(db, input);
    // The retry did not create the customer: the first attempt did.
    expect(retry).toEqual({ ...first, status: 'replayed', customerCreated: false });
    expect(await count('orders')).toBe(1);
    expect(await count('order_lines')).toBe(1);
  });

  it('stores one order when the same attempt arrives several times at once (a double click)', async () => {
    const input = checkout('double@example.test', lines);
    const results = await Promise.all([placeOrder(db, input), placeOrder(db, input), placeOrder(db, input)]);
    expect(results.map((r) => r.status).sort()).toEqual(['placed', 'replayed', 'replayed']);
    expect(new Set(results.map((r) => ('orderId' in r ? r.orderId : undefined))).size).toBe(1);
    expect(await count('orders')).toBe(1);
  });

  it.each([
    ['a changed cart', [{ sku: 'GL-CLN-GEL-150', quantity: 3 }], 'US' as const],
    ['another country', lines, 'SE' as const],
  ])(
    'answers the same attempt sent again with %s with the order it placed, not as the new total',
    async (_case, changedLines, country) => {
      const key = randomUUID();
      const first = await placeNew(db, checkout('edited@example.test', lines, { idempotencyKey: key }));
      // The form resubmitted after an edit (or from another tab): it shows, and sends, the new quote.
      const edited = checkout('edited@example.test', changedLines, { country, idempotencyKey: key });
      const retry = await placeOrder(db, edited);
      expect(retry).toMatchObject({ status: 'already_placed', orderId: first.orderId });
      if (retry.status !== 'already_placed') throw new Error('expected already_placed');
      expect(retry.order.order_number).toBe(first.order.order_number);
      expect(retry.order.total_cents).toBe(first.order.total_cents);
      expect(retry.order.total_cents).not.toBe(edited.quote.totalCents);
      expect(await count('orders')).toBe(1);
      expect(await getOrder(db, first.orderId)).toEqual(first.order);
    },
  );

  it('answers the same attempt sent again with another shipping address with the order it placed, not as shipped there', async () => {
    const key = randomUUID();
    const first = await placeNew(db, checkout('moved@example.test', lines, { idempotencyKey: key }));
    const sameCart = checkout('moved@example.test', lines, { idempotencyKey: key });
    for (const edit of [
      { addressLine1: '9 Other Rd' },
      { city: 'Shelbyville' },
      { postalCode: '54321' },
      { name: 'Bo' },
    ])
      expect(await placeOrder(db, { ...sameCart, ...edit })).toMatchObject({
        status: 'already_placed',
        orderId: first.orderId,
      });
    expect(
      await placeOrder(db, checkout('moved@example.test', lines, { idempotencyKey: key, region: 'WA' })),
    ).toMatchObject({ status: 'already_placed' });
    // Unchanged, it is the same order again.
    expect(await placeOrder(db, sameCart)).toMatchObject({ status: 'replayed', orderId: first.orderId });
    expect(await getOrder(db, first.orderId)).toMatchObject({ address_line1: '1 Main St', city: 'Springfield' });
    expect(await count('orders')).toBe(1);
  });

  it('answers a guest’s same attempt sent again with a corrected email with the order it placed, not as sent there', async () => {
    // The first answer was lost; the shopper fixed a typo in the address and pressed Place order again.
    const key = randomUUID();
    const first = await placeNew(db, checkout('typo@exmaple.test', lines, { idempotencyKey: key }));
    const corrected = checkout('typo@example.test', lines, { idempotencyKey: key });
    expect(await placeOrder(db, corrected)).toMatchObject({ status: 'already_placed', orderId: first.orderId });
    // The same address spelled otherwise is the same address: the same order again.
    const respelled = { ...checkout('typo@exmaple.test', lines, { idempotencyKey: key }), email: ' Typo@EXMAPLE.test' };
    expect(await placeOrder(db, respelled)).toMatchObject({ status: 'replayed', orderId: first.orderId });
    expect(await getOrder(db, first.orderId)).toMatchObject({ email: 'typo@exmaple.test' });
    expect(await count('orders')).toBe(1);
  });

  it('answers a signed-in shopper’s same attempt with the order it placed whatever email the form sends', async () => {
    // A signed-in order takes the account's email; the form's is not what it was sent to.
    const account = await registerCustomer(db, { email: 'signed@example.test', password: 'password1', name: 'S' });
    if (!account.ok) throw new Error(account.error);
    const key = randomUUID();
    const input = checkout('signed@example.test', lines, { idempotencyKey: key });
    const first = await placeNew(db, input, account.customer.id);
    const other = checkout('other@example.test', lines, { idempotencyKey: key });
    expect(await placeOrder(db, other, account.customer.id)).toMatchObject({
      status: 'replayed',
      orderId: first.orderId,
    });
  });

  it('answers the changed copy of an attempt arriving at the same time as the original with the order placed', async () => {
    const key = randomUUID();
    const original = checkout('both@example.test', lines, { idempotencyKey: key });
    const changed = checkout('both@example.test', [{ sku: 'GL-SER-NIA-30', quantity: 2 }], { idempotencyKey: key });
    const results = await Promise.all([placeOrder(db, original), placeOrder(db, changed)]);
    // Whichever is stored first, the other is not confirmed as placed at its own total.
    expect(results.map((r) => r.status).toSorted()).toEqual(['already_placed', 'placed']);
    expect(new Set(results.map((r) => ('orderId' in r ? r.orderId : undefined))).size).toBe(1);
    expect(await count('orders')).toBe(1);
  });

  it('places a new order for a new attempt (another key)', async () => {
    await placeNew(db, checkout('again@example.test', lines));
    await placeNew(db, checkout('again@example.test', lines));
    expect(await count('orders')).toBe(2);
  });

  it('rejects a second order with the same key at the database too', async () => {
    const { order } = await placeNew(db, checkout('unique@example.test', lines));
    await expect(
      db
        .insertInto('orders')
        .values({ ...order, lines: undefined, id: 'ord_copy', order_number: 1 } as never)
        .execute(),
    ).rejects.toThrow(/UNIQUE constraint failed: orders\.idempotency_key|unique constraint "orders_idempotency_key"/);
  });
});

describe('order numbers and regions', () => {
  const lines = [{ sku: 'GL-CLN-GEL-150', quantity: 1 }];

  it('numbers orders GL-10001, GL-10002, … in the order they are placed, concurrent ones included', async () => {
    const first = await placeNew(db, checkout('n1@example.test', lines));
    const second = await placeNew(db, checkout('n2@example.test', lines));
    const burst = await Promise.all(
      Array.from({ length: 5 }, (_, i) => placeNew(db, checkout(`burst${i}@example.test`, lines))),
    );
    expect([first, second].map((p) => formatOrderNumber(p.order.order_number))).toEqual(['GL-10001', 'GL-10002']);
    expect(burst.map((p) => p.order.order_number).sort()).toEqual([10003, 10004, 10005, 10006, 10007]);
    // A refused order (stale quote) takes no number.
    await placeOrder(db, checkout('n3@example.test', lines, { quote: shown(lines, 'JP') }));
    expect((await placeNew(db, checkout('n4@example.test', lines))).order.order_number).toBe(10008);
  });

  it('stores the state where the country needs one, and none elsewhere', async () => {
    const us = await placeNew(db, checkout('us@example.test', lines, { country: 'US', region: 'OR' }));
    const se = await placeNew(db, checkout('se@example.test', lines, { country: 'SE', region: 'OR' }));
    expect((await getOrder(db, us.orderId))?.region).toBe('OR');
    expect((await getOrder(db, se.orderId))?.region).toBeNull();
  });
});

describe('order access', () => {
  it('accepts the signed link or the signed-in owner of a signed-in order, nothing else', async () => {
    const account = await registerCustomer(db, { email: 'owner@example.test', password: 'password1', name: 'O' });
    if (!account.ok) throw new Error(account.error);
    const guest = await getOrder(
      db,
      (await placeNew(db, checkout('owner@example.test', [{ sku: 'GL-CLN-GEL-150', quantity: 1 }]))).orderId,
    );
    const mine = await getOrder(
      db,
      (await placeNew(db, checkout('x@example.test', [{ sku: 'GL-CLN-GEL-150', quantity: 1 }]), account.customer.id))
        .orderId,
    );
    const sig = new URL(orderUrl(guest!.id), 'http://x').searchParams.get('sig')!;

    expect(canViewOrder(guest!, sig, undefined)).toBe(true);
    expect(canViewOrder(guest!, undefined, undefined)).toBe(false);
    expect(canViewOrder(guest!, sig.slice(1), undefined)).toBe(false);
    expect(canViewOrder(mine!, sig, undefined)).toBe(false);
    expect(canViewOrder(mine!, undefined, account.customer.id)).toBe(true);
    expect(canViewOrder(mine!, undefined, 'cus_someone_else_000000000')).toBe(false);
    // A guest order is not opened by the session alone: claiming an email does not prove owning it.
    expect(canViewOrder(guest!, undefined, account.customer.id)).toBe(false);
  });
});
