'use client';

import { lazy, Suspense, useCallback, useRef } from 'react';
import { useCart, useCartHydrated } from '@/lib/shop/client/cart-store';
import { DiscoverLinks } from '@/components/layout/discover-links';

// The rows and summary show only once the saved cart is read and has lines, so their code (quantity inputs, pricing,
// the cart's tracked updates) loads then, not in the page's first load (scripts/size-budget.mjs).
const CartContents = lazy(() => import('./cart-contents').then((m) => ({ default: m.CartContents })));

const loading = (
  <div role="status" className="mt-8 animate-pulse space-y-4">
    <div className="h-24 rounded-2xl bg-stone-200" />
    <div className="h-24 rounded-2xl bg-stone-200" />
    <span className="sr-only">Loading your cart…</span>
  </div>
);

/** The cart page body: loading until the saved cart is read, then empty state or lines + summary. */
export function CartView() {
  const hydrated = useCartHydrated();
  const lines = useCart((s) => s.lines);
  // The shopper removed the last line: the empty cart's heading takes the focus the Remove button had.
  const emptied = useRef(false);
  const emptyHeading = useCallback((heading: HTMLHeadingElement | null) => {
    if (heading && emptied.current) heading.focus();
  }, []);
  const onEmptied = useCallback(() => {
    emptied.current = true;
  }, []);

  if (!hydrated) return loading;

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

  return (
    <Suspense fallback={loading}>
      <CartContents lines={lines} onEmptied={onEmptied} />
    </Suspense>
  );
}
