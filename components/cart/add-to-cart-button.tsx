'use client';

import Link from 'next/link';
import { useState, type ReactNode } from 'react';
import { findKnownSku, type CartLine } from '@/lib/shop/client/cart-store';
import { addedMessage } from '@/lib/shop/domain/cart-changes';

type Props = {
  /** What one press adds: one line, or a whole routine in one cart update. */
  lines: CartLine[];
  /** Extra words for screen readers when several buttons share a page ("Add Niacinamide 10% Serum to cart"). */
  itemName?: string;
  /** The visible label; "Add to cart" unless given. */
  children?: ReactNode;
  className?: string;
};

/**
 * The one place a shopper adds to the cart. Confirms politely with what really went in (less at the 99 cap,
 * and it says why) and a link to the cart. The cart's tracked update (its events and their server mirrors) is
 * loaded on the first press, not in the page's first load.
 */
export function AddToCartButton({ lines, itemName, children, className = 'btn-primary' }: Props) {
  const [result, setResult] = useState<{ message: string; press: number } | null>(null);

  async function handleAdd() {
    const { updateCart } = await import('@/lib/shop/client/cart');
    const changes = updateCart((cart) => cart.add(...lines));
    setResult((prev) => ({ message: addedMessage(lines, changes, findKnownSku), press: (prev?.press ?? 0) + 1 }));
  }

  return (
    <div className="flex flex-col gap-2">
      <button type="button" className={className} onClick={handleAdd}>
        {children ?? <>Add{itemName && <span className="sr-only"> {itemName}</span>} to cart</>}
      </button>
      <p role="status" className="min-h-5 text-sm text-stone-600">
        {result && (
          // Keyed by the press: the same sentence twice is still announced twice.
          <span key={result.press}>
            {result.message}{' '}
            <Link href="/cart" className="font-medium text-brand underline underline-offset-2">
              View cart
            </Link>
          </span>
        )}
      </p>
    </div>
  );
}
