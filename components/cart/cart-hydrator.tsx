'use client';

import { useCartPersistence } from '@/lib/shop/client/cart-store';

/** Loads the saved cart once the page is interactive (rendered once, in the root layout). */
export function CartHydrator() {
  useCartPersistence();
  return null;
}
