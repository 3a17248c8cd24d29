'use client';

import Link from 'next/link';
import { useEffect, useMemo, useRef } from 'react';
import { updateCart } from '@/lib/shop/client/cart';
import { countItems, findKnownSku, useCart, useCartHydrated } from '@/lib/shop/client/cart-store';
import { priceLinesWith } from '@/lib/shop/domain/line-pricing';
import { formatMoney } from '@/lib/shop/domain/money';
import { CartLineItem } from './cart-line-item';
import { DiscoverLinks } from '@/components/layout/discover-links';

/** The cart page body: loading until the saved cart is read, then empty state or lines + summary. */
export function CartView() {
  const hydrated = useCartHydrated();
  const lines = useCart((s) => s.lines);
  // Stored lines are sanitised on load, so every SKU here is one the server layout listed.
  const priced = useMemo(() => priceLinesWith(lines, findKnownSku), [lines]);
  // After a removal: the SKU whose Remove button takes focus next, or '' for the empty cart's heading.
  const focusNext = useRef<string | null>(null);
  const emptyHeading = useRef<HTMLHeadingElement>(null);

  function remove(sku: string) {
    const at = lines.findIndex((l) => l.sku === sku);
    focusNext.current = (lines[at + 1] ?? lines[at - 1])?.sku ?? '';
    updateCart((cart) => cart.setQuantity(sku, 0));
  }

  useEffect(() => {
    const sku = focusNext.current;
    if (sku === null) return;
    focusNext.current = null;
    // The removed row took the focused button with it: continue from the next row (or the empty cart).
    const next = sku
      ? document.querySelector<HTMLElement>(`[data-cart-line="${CSS.escape(sku)}"] [data-remove-line]`)
      : emptyHeading.current;
    next?.focus();
  }, [lines]);

  if (!hydrated) {
    return (
      <div role="status" className="mt-8 animate-pulse space-y-4">
        <div className="h-24 rounded-2xl bg-stone-200" />
        <div className="h-24 rounded-2xl bg-stone-200" />
        <span className="sr-only">Loading your cart…</span>
      </div>
    );
  }

  if (lines.length === 0) {
    return (
      <div className="mt-8 rounded-3xl bg-white px-6 py-16 text-center">
        <h2 ref={emptyHeading} tabIndex={-1} className="text-xl font-semibold focus:outline-none">
          Your cart is empty
        </h2>
        <p className="mt-2 text-stone-600">Find something for your routine, or let the skin quiz choose.</p>
        <DiscoverLinks className="mt-6" />
      </div>
    );
  }

  const count = countItems(lines);
  return (
    <div className="mt-8 grid gap-10 lg:grid-cols-[1fr_20rem]">
      <section aria-labelledby="cart-items-heading">
        <h2 id="cart-items-heading" className="sr-only">
          Items
        </h2>
        <ul aria-label="Cart items" className="divide-y divide-stone-200 border-y border-stone-200">
          {priced.lines.map((line) => (
            <CartLineItem key={line.sku} line={line} onRemove={remove} />
          ))}
        </ul>
      </section>
      <aside aria-labelledby="cart-summary-heading" className="h-fit rounded-3xl bg-white p-6">
        <h2 id="cart-summary-heading" className="text-lg font-semibold">
          Summary
        </h2>
        <dl className="mt-4 space-y-2 text-sm">
          <div className="flex justify-between">
            <dt>Items</dt>
            <dd className="tabular-nums">{count}</dd>
          </div>
          <div className="flex justify-between text-base font-semibold">
            <dt>Subtotal</dt>
            <dd className="tabular-nums" data-testid="cart-subtotal">
              {formatMoney(priced.subtotalCents)}
            </dd>
          </div>
        </dl>
        <p className="mt-2 text-xs text-stone-500">Shipping and tax are calculated at checkout.</p>
        <Link href="/checkout" className="btn-primary mt-6 w-full">
          Checkout
        </Link>
        <Link href="/collections" className="mt-3 block text-center text-sm text-stone-600 hover:text-stone-900">
          Continue shopping
        </Link>
      </aside>
    </div>
  );
}
