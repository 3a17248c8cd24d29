import type { Page, Request } from '@playwright/test';
import { findVariantBySku } from '@/lib/shop/domain/catalog';
import { queryShopDb } from './shop';

/** What checkout-trust.spec.ts checks the shop against: the money charged, what was stored, a lost answer. */

/**
 * The money a shopper is charged, worked out here from catalogue prices and the shop's published shipping and
 * tax rates — on purpose not with lib/shop/domain/pricing, so a pricing bug cannot agree with itself.
 */
const RATES = {
  US: { shippingCents: 595, taxRate: 0.0725, freeOverCents: 5000 },
  SE: { shippingCents: 995, taxRate: 0.25, freeOverCents: Infinity },
} as const;

type Lines = { sku: string; quantity: number }[];

export function expectedCents(lines: Lines, country: keyof typeof RATES) {
  const subtotal = lines.reduce((sum, l) => sum + findVariantBySku(l.sku)!.variant.priceCents * l.quantity, 0);
  const r = RATES[country];
  const shipping = subtotal >= r.freeOverCents ? 0 : r.shippingCents;
  const tax = Math.round(subtotal * r.taxRate);
  return subtotal + shipping + tax;
}

const dollars = (cents: number) => `$${(cents / 100).toFixed(2)}`;
export const expectedTotal = (lines: Lines, country: keyof typeof RATES) => dollars(expectedCents(lines, country));

/** The Place order server action (the quote and email capture posts carry no idempotency key). */
export const isPlaceOrder = (request: Request) =>
  request.method() === 'POST' &&
  !!request.headers()['next-action'] &&
  !!request.postData()?.includes('"idempotencyKey"');

/** The next Place order reaches the shop, which places the order, and its answer never reaches the browser. */
export async function loseNextPlaceOrderAnswer(page: Page) {
  let lost = false;
  await page.route('**/checkout', async (route) => {
    if (lost || !isPlaceOrder(route.request())) return route.fallback();
    lost = true;
    await route.fetch(); // the shop receives it and places the order…
    await route.abort('connectionreset'); // …and the answer never reaches the browser
  });
}

export const ordersFor = (email: string) =>
  queryShopDb<{ id: string; total_cents: number; country: string; region: string | null; order_number: number }>(
    'select id, total_cents, country, region, order_number from orders where email = ? order by order_number',
    email,
  );

/** Every line of `email`'s orders, in order: what each order charged for. */
export const orderLinesOf = (email: string) =>
  queryShopDb<{ order_id: string; sku: string; quantity: number }>(
    'select l.order_id, l.sku, l.quantity from order_lines l join orders o on o.id = l.order_id where o.email = ? ' +
      'order by o.order_number, l.id',
    email,
  );

export const summaryTotal = (page: Page) =>
  page.getByRole('region', { name: 'Order summary' }).getByTestId('order-total');
