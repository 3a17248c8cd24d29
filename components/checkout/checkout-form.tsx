'use client';

import { Link } from '@/components/layout/link';
import { lazy, Suspense, useState } from 'react';
import { useCart, useCartHydrated } from '@/lib/shop/client/cart-store';
import { placedOrder } from '@/lib/shop/client/checkout-keys';
import { accountShown, type CheckoutAccount } from '@/lib/shop/domain/checkout-account';
import type { EarlierOrder } from './place-order-form';

// The form (fields, countries and regions, the quote, the order action) shows only once the saved cart is read
// and has lines, so it loads then: the checkout's first load has only this gate (scripts/size-budget.mjs).
const PlaceOrderForm = lazy(() => import('./place-order-form').then((m) => ({ default: m.PlaceOrderForm })));
// Only ever shown once this tab placed an order: not in the first load either.
const EarlierOrderNotice = lazy(() => import('./place-order-form').then((m) => ({ default: m.EarlierOrderNotice })));

const placedNotice = (account: CheckoutAccount | undefined): EarlierOrder | undefined => {
  const placed = placedOrder(accountShown(account?.id));
  return placed && { ...placed, message: `Your order ${placed.orderNumber} was placed.` };
};

const loading = (
  <p role="status" aria-busy="true" className="py-16 text-center text-stone-500">
    Loading your cart…
  </p>
);

/** The checkout: loading until the saved cart is read, then the empty state or the form, then "Order placed". */
export function CheckoutForm({ account }: { account?: CheckoutAccount }) {
  const hydrated = useCartHydrated();
  const lines = useCart((s) => s.lines);
  const [placedUrl, setPlacedUrl] = useState<string>();
  // An order this checkout had already placed (its answer lost), whose items then left the cart: said here too, as
  // the form goes when they were all the cart held.
  const [earlier, setEarlier] = useState<EarlierOrder>();

  if (placedUrl) {
    return (
      <p role="status" className="py-16 text-center text-stone-700">
        Order placed. Taking you to your{' '}
        <Link href={placedUrl} className="text-brand underline">
          confirmation
        </Link>
        …
      </p>
    );
  }
  if (!hydrated) return loading;
  if (lines.length === 0) {
    // Else the order this tab just placed, when a reload (or Back) came before its confirmation page did.
    const notice = earlier ?? placedNotice(account);
    return (
      <div className="mx-auto max-w-md py-16 text-center">
        {notice && (
          <Suspense>
            <EarlierOrderNotice order={notice} />
          </Suspense>
        )}
        <h2 className="text-xl font-semibold">Your cart is empty</h2>
        <p className="mt-2 text-stone-600">Add a few favourites, then come back to check out.</p>
        <Link href="/" className="btn-primary mt-6">
          Shop skincare
        </Link>
      </div>
    );
  }
  return (
    <Suspense fallback={loading}>
      <PlaceOrderForm account={account} lines={lines} onPlaced={setPlacedUrl} onEarlierOrder={setEarlier} />
    </Suspense>
  );
}
