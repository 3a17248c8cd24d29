import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { freshDb } from '../support/database';
import { resetEnvCache } from '@/lib/env';
import { registerCustomer } from '@/lib/shop/auth/accounts';
import { checkoutSchema } from '@/lib/shop/checkout-schema';
import { findOrCreateCustomerByEmail } from '@/lib/shop/customers';
import { orderUrl } from '@/lib/shop/order-links';
import { canViewOrder, getOrder, listAccountOrders, placeOrder } from '@/lib/shop/orders';
import { quoteOrder } from '@/lib/shop/pricing';

let db: DB;
beforeAll(() => {
  process.env.APP_SECRET = 'unit-test-secret-0123456789';
  resetEnvCache();
});
beforeEach(async () => {
  db = await freshDb();
});

const checkout = (email: string, lines: unknown[]) =>
  checkoutSchema.parse({
    email,
    name: 'Ada',
    addressLine1: '1 Main St',
    city: 'Springfield',
    postalCode: '12345',
    country: 'US',
    lines,
  });

describe('placeOrder', () => {
  it('charges catalogue prices whatever price the client put on a line', async () => {
    const input = checkout('buyer@example.test', [
      { sku: 'GL-CLN-GEL-150', quantity: 2, unitPriceCents: 1, price: 1 },
      { sku: 'GL-SER-NIA-30', quantity: 1, priceCents: 1 },
    ]);
    const expected = quoteOrder(
      [
        { sku: 'GL-CLN-GEL-150', quantity: 2 },
        { sku: 'GL-SER-NIA-30', quantity: 1 },
      ],
      'US',
    );
    const placed = await placeOrder(db, input);
    const order = await getOrder(db, placed.orderId);
    // What placeOrder hands back (checkout tracks Order Completed from it) is exactly what was stored.
    expect(placed.order).toEqual(order);
    expect(order).toMatchObject({
      subtotal_cents: expected.subtotalCents,
      total_cents: expected.totalCents,
      placed_signed_in: 0,
    });
    expect(order?.lines.map((l) => [l.sku, l.quantity, l.unit_price_cents])).toEqual([
      ['GL-CLN-GEL-150', 2, 1800],
      ['GL-SER-NIA-30', 1, 2400],
    ]);
  });

  it('resolves a guest to the customer their email already belongs to', async () => {
    const captured = await findOrCreateCustomerByEmail(db, 'popup@example.test', { acquisitionSource: 'popup' });
    const { customerId } = await placeOrder(
      db,
      checkout('Popup@Example.test', [{ sku: 'GL-CLN-GEL-150', quantity: 1 }]),
    );
    expect(customerId).toBe(captured.id);
  });

  it('lists only orders placed while signed in on the account', async () => {
    const account = await registerCustomer(db, { email: 'member@example.test', password: 'password1', name: 'M' });
    if (!account.ok) throw new Error(account.error);
    const id = account.customer.id;
    const guest = await placeOrder(db, checkout('member@example.test', [{ sku: 'GL-CLN-GEL-150', quantity: 1 }]));
    const member = await placeOrder(db, checkout('ignored@example.test', [{ sku: 'GL-SER-NIA-30', quantity: 1 }]), id);
    expect(guest.customerId).toBe(id);
    expect(member.customerId).toBe(id);
    expect((await getOrder(db, member.orderId))?.email).toBe('member@example.test');
    expect((await listAccountOrders(db, id)).map((o) => o.id)).toEqual([member.orderId]);
  });
});

describe('order access', () => {
  it('accepts the signed link or the signed-in owner of a signed-in order, nothing else', async () => {
    const account = await registerCustomer(db, { email: 'owner@example.test', password: 'password1', name: 'O' });
    if (!account.ok) throw new Error(account.error);
    const guest = await getOrder(
      db,
      (await placeOrder(db, checkout('owner@example.test', [{ sku: 'GL-CLN-GEL-150', quantity: 1 }]))).orderId,
    );
    const mine = await getOrder(
      db,
      (await placeOrder(db, checkout('x@example.test', [{ sku: 'GL-CLN-GEL-150', quantity: 1 }]), account.customer.id))
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
