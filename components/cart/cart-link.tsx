'use client';

import { Link } from '@/components/layout/link';
import { countItems, useCart, useCartHydrated } from '@/lib/shop/client/cart-store';

/**
 * Header cart link; the count appears once the saved cart has been read, so server and client HTML match.
 * Its name starts with its visible text and adds the count in words ("Cart, 2 items"), so what is shown is what is
 * announced. One hidden text carries the whole name: a name put together from the visible word and a hidden
 * suffix reads "Cart , 2 items" (the hidden span is laid out as a block).
 */
export function CartLink() {
  const hydrated = useCartHydrated();
  const count = useCart((s) => countItems(s.lines));
  return (
    <Link
      href="/cart"
      className="relative inline-flex h-10 items-center gap-2 rounded-full px-3 text-sm font-medium hover:bg-stone-100 max-[360px]:px-2"
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
      {/* Below 360 px the icon and count stand alone: with the logo and Menu, a 4-digit count (20 items × 99) made
          every page scroll sideways at 320 px, the width WCAG's reflow asks for. The name below still says "Cart". */}
      <span aria-hidden="true" className="max-[360px]:hidden">
        Cart
      </span>
      {hydrated && count > 0 && (
        <span
          data-testid="cart-count"
          aria-hidden="true"
          className="min-w-5 rounded-full bg-brand px-1.5 text-center text-xs leading-5 font-semibold text-white"
        >
          {count}
        </span>
      )}
      <span className="sr-only">{hydrated ? `Cart, ${count} ${count === 1 ? 'item' : 'items'}` : 'Cart'}</span>
    </Link>
  );
}
