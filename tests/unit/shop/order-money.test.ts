import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { createElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { formatMoney, quoteOrder, type Quote } from '@/lib/shop/domain/pricing';
import { WELCOME_CODE } from '@/lib/shop/domain/welcome-code';
import { fuzzSettings } from '../../fuzz/support/settings';
import { actionHarness, nextHeaders, requestScope, testDb } from './action-harness';
import { moneyCaseArb, type MoneyCase } from './money-arbitraries';

// "The total charged is the total shown", over the whole catalogue (money-arbitraries.ts): the quote the checkout
// shows, the order stored, its lines, its confirmation page and its Order Completed agree to the cent. A storage
// suite (SQLite and PostgreSQL); orders are placed as the checkout action places them, the confirmation page is the
// real page rendered, and Order Completed is the call the order's transaction put in the shop's outbox.
vi.mock('next/headers', () => nextHeaders());
vi.mock('@/lib/db', async (original) => ({
  ...(await original<typeof import('@/lib/db')>()),
  getDb: async () => requestScope.db!,
}));
// The storefront's link wants the app router mounted; the page's money does not.
vi.mock('@/components/layout/link', () => ({
  Link: ({ href, children }: { href: string; children: ReactNode }) => createElement('a', { href }, children),
}));
const { placeOrder } = await import('@/lib/shop/server/orders');
const { orderUrl } = await import('@/lib/shop/server/order-links');
const { default: OrderPage } = await import('@/app/(shop)/orders/[id]/page');

actionHarness();

/** Runs and seed as in the fuzz suite (tests/fuzz/support/settings.ts): `FUZZ_RUNS=400` for a long run. */
const { runs, seed } = fuzzSettings();
const cents = (major: number) => Math.round(major * 100);

/** What the checkout form sends for a case, after its summary showed `quote` (place-order-form.tsx). */
const checkoutInput = ({ lines, country, region }: MoneyCase, quote: Quote) => ({
  lines,
  country,
  region: region ?? null,
  email: `buyer-${randomUUID()}@example.test`,
  name: 'Ada Lovelace',
  addressLine1: '1 Main St',
  city: 'Springfield',
  postalCode: '12345',
  discountCode: quote.discountCode ?? undefined,
  idempotencyKey: randomUUID(),
  quote: {
    country,
    totalCents: quote.totalCents,
    lines: quote.lines.map(({ sku, quantity, unitPriceCents }) => ({ sku, quantity, unitPriceCents })),
  },
});

/** The confirmation page as the buyer's signed link opens it: its summary's figures, as text. */
async function confirmation(orderId: string) {
  const sig = new URL(orderUrl(orderId), 'http://shop.test').searchParams.get('sig');
  const html = renderToStaticMarkup(
    await OrderPage({ params: Promise.resolve({ id: orderId }), searchParams: Promise.resolve({ sig }) } as never),
  );
  const rows = Object.fromEntries(
    [...html.matchAll(/<dt>([^<]+)<\/dt><dd[^>]*>([^<]+)<\/dd>/g)].map(([, label, value]) => [label, value]),
  );
  const lines = [...html.matchAll(/<li[^>]*>.*?<span class="tabular-nums">([^<]+)<\/span><\/li>/g)].map((m) => m[1]);
  return { rows, lines };
}

async function orderCompleted(orderId: string) {
  const rows = await testDb().selectFrom('shop_event_outbox').select('payload').execute();
  const calls = rows.map((r) => JSON.parse(r.payload) as { event?: string; properties: Record<string, unknown> });
  return calls.find((c) => c.event === 'Order Completed' && c.properties.order_id === orderId)?.properties as {
    items: { sku: string; quantity: number; price: number }[];
    subtotal: number;
    shipping: number;
    tax: number;
    total: number;
    discount?: number;
    coupon?: string;
  };
}

describe('an order placed at the quote the checkout showed', () => {
  it('is stored, confirmed and tracked at that quote, to the cent, for any cart, country and code', async () => {
    await fc.assert(
      fc.asyncProperty(moneyCaseArb, async (c) => {
        const shown = quoteOrder(c.lines, c.country, c.withCode ? WELCOME_CODE : undefined);
        const placed = await placeOrder(testDb(), checkoutInput(c, shown) as never, undefined, {
          orderCompleted: { origin: 'https://shop.test', anonymousId: null },
        });
        expect(placed.status).toBe('placed');
        if (placed.status !== 'placed') return;
        const { order } = placed;

        // Stored: the quote's figures, and lines that add up to its subtotal.
        expect(order).toMatchObject({
          subtotal_cents: shown.subtotalCents,
          discount_cents: shown.discountCents,
          discount_code: shown.discountCode,
          shipping_cents: shown.shippingCents,
          tax_cents: shown.taxCents,
          total_cents: shown.totalCents,
        });
        expect(order.lines.map((l) => [l.sku, l.quantity, l.unit_price_cents, l.line_total_cents])).toEqual(
          shown.lines.map((l) => [l.sku, l.quantity, l.unitPriceCents, l.lineTotalCents]),
        );
        expect(order.lines.reduce((sum, l) => sum + l.quantity * l.unit_price_cents, 0)).toBe(order.subtotal_cents);
        expect(order.subtotal_cents - order.discount_cents + order.shipping_cents + order.tax_cents).toBe(
          order.total_cents,
        );

        // The confirmation page: the summary the checkout showed, line for line.
        const page = await confirmation(placed.orderId);
        expect(page.lines).toEqual(shown.lines.map((l) => formatMoney(l.lineTotalCents)));
        expect(page.rows).toMatchObject({
          Subtotal: formatMoney(shown.subtotalCents),
          Shipping: shown.shippingCents === 0 ? 'Free' : formatMoney(shown.shippingCents),
          Tax: formatMoney(shown.taxCents),
          Total: formatMoney(shown.totalCents),
        });
        expect(page.rows[`Discount (${WELCOME_CODE})`]).toBe(
          c.withCode ? `−${formatMoney(shown.discountCents)}` : undefined,
        );

        // Order Completed: the same figures in major units; price × quantity of its items is the subtotal.
        const event = await orderCompleted(placed.orderId);
        expect(event.items.map((i) => [i.sku, i.quantity, cents(i.price)])).toEqual(
          shown.lines.map((l) => [l.sku, l.quantity, l.unitPriceCents]),
        );
        expect(event.items.reduce((sum, i) => sum + cents(i.price * i.quantity), 0)).toBe(shown.subtotalCents);
        expect([event.subtotal, event.shipping, event.tax, event.total].map(cents)).toEqual([
          shown.subtotalCents,
          shown.shippingCents,
          shown.taxCents,
          shown.totalCents,
        ]);
        expect(event.coupon).toBe(c.withCode ? WELCOME_CODE : undefined);
        expect(event.discount === undefined ? undefined : cents(event.discount)).toBe(
          c.withCode ? shown.discountCents : undefined,
        );
        expect(cents(event.subtotal) - cents(event.discount ?? 0) + cents(event.shipping) + cents(event.tax)).toBe(
          cents(event.total),
        );
      }),
      { seed, numRuns: runs },
    );
  }, 120_000);
});

describe('a checkout attempt sent again (a lost answer, a stale tab)', () => {
  it('is answered with the order it placed, at the total charged, whatever cart and total it shows now', async () => {
    await fc.assert(
      fc.asyncProperty(moneyCaseArb, moneyCaseArb, async (first, now) => {
        const at = (c: MoneyCase) => quoteOrder(c.lines, c.country, c.withCode ? WELCOME_CODE : undefined);
        const sent = checkoutInput(first, at(first));
        const placed = await placeOrder(testDb(), sent as never);
        if (placed.status !== 'placed') throw new Error(`expected a new order, got ${placed.status}`);
        // The same key, the same shopper, what the tab shows now.
        const again = { ...checkoutInput(now, at(now)), email: sent.email, idempotencyKey: sent.idempotencyKey };
        const answer = await placeOrder(testDb(), again as never);
        const same = JSON.stringify([sent.quote, sent.region]) === JSON.stringify([again.quote, again.region]);
        expect(answer).toMatchObject({ status: same ? 'replayed' : 'already_placed', orderId: placed.orderId });
        expect('order' in answer && answer.order.total_cents).toBe(at(first).totalCents);
        const orders = await testDb().selectFrom('orders').select('id').where('email', '=', sent.email).execute();
        expect(orders).toHaveLength(1);
      }),
      { seed, numRuns: runs },
    );
  });
});
