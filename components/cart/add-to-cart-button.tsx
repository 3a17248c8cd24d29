'use client';

import Link from 'next/link';
import { useState } from 'react';
import { updateCart } from '@/lib/shop/client/cart';

type Props = {
  sku: string;
  variantId: string;
  quantity?: number;
  /** Extra words for screen readers when several buttons share a page ("Add Niacinamide 10% Serum to cart"). */
  itemName?: string;
  className?: string;
};

/** The one place a shopper adds to the cart; confirms politely with a link to the cart. */
export function AddToCartButton({ sku, variantId, quantity = 1, itemName, className = 'btn-primary' }: Props) {
  const [added, setAdded] = useState<number | null>(null);

  function handleAdd() {
    updateCart(sku, variantId, (cart) => cart.add({ sku, variantId, quantity }));
    setAdded(quantity);
  }

  return (
    <div className="flex flex-col gap-2">
      <button type="button" className={className} onClick={handleAdd}>
        Add{itemName && <span className="sr-only"> {itemName}</span>} to cart
      </button>
      <p role="status" className="min-h-5 text-sm text-stone-600">
        {added !== null && (
          <>
            Added {added} to your cart.{' '}
            <Link href="/cart" className="font-medium text-brand underline underline-offset-2">
              View cart
            </Link>
          </>
        )}
      </p>
    </div>
  );
}
