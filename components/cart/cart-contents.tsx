'use client';

import { Link } from '@/components/layout/link';
import { useEffect, useMemo, useRef } from 'react';
import { updateCart } from '@/lib/shop/client/cart';
import { countItems, findKnownSku, type CartLine } from '@/lib/shop/client/cart-store';
import { priceLinesWith } from '@/lib/shop/domain/line-pricing';
import { formatMoney } from '@/lib/shop/domain/money';
import { CartLineItem } from './cart-line-item';

/**
 * A cart with lines: the rows and the summary. Loaded by CartView once the saved cart is read and has lines (never
 * in the page's HTML). `onEmptied` is told before the last line goes, so the empty cart's heading takes focus.
 */
export function CartContents({ lines, onEmptied }: { lines: CartLine[]; onEmptied(): void }) {
  // Stored lines are sanitised on load, so every SKU here is one the server layout listed.
  const priced = useMemo(() => priceLinesWith(lines, findKnownSku), [lines]);
  // After a removal: the SKU whose Remove button takes focus next.
  const focusNext = useRef<string | null>(null);

  function remove(sku: string) {
    const at = lines.findIndex((l) => l.sku === sku);
    const next = (lines[at + 1] ?? lines[at - 1])?.sku;
    if (next) focusNext.current = next;
    else onEmptied();
    updateCart((cart) => cart.setQuantity(sku, 0));
  }

  useEffect(() => {
    const sku = focusNext.current;
    if (sku === null) return;
    focusNext.current = null;
    // The removed row took the focused button with it: continue from the next row.
    document.querySelector<HTMLElement>(`[data-cart-line="${CSS.escape(sku)}"] [data-remove-line]`)?.focus();
  }, [lines]);

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
