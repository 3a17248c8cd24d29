'use client';

import Link from 'next/link';
import { countItems, useCart, useCartHydrated } from '@/lib/shop/client/cart-store';

/** Header cart link; the count appears once the saved cart has been read, so server and client HTML match. */
export function CartLink() {
  const hydrated = useCartHydrated();
  const count = useCart((s) => countItems(s.lines));
  const label = hydrated ? `Cart, ${count} ${count === 1 ? 'item' : 'items'}` : 'Cart';
  return (
    <Link
      href="/cart"
      aria-label={label}
      className="relative inline-flex items-center gap-2 rounded-full px-3 py-2 text-sm font-medium hover:bg-stone-100"
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        className="h-5 w-5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
      >
        <path d="M6 7h12l-1 13H7L6 7Z" strokeLinejoin="round" />
        <path d="M9 7a3 3 0 0 1 6 0" />
      </svg>
      <span>Cart</span>
      {hydrated && count > 0 && (
        <span
          data-testid="cart-count"
          className="min-w-5 rounded-full bg-brand px-1.5 text-center text-xs leading-5 font-semibold text-white"
        >
          {count}
        </span>
      )}
    </Link>
  );
}
