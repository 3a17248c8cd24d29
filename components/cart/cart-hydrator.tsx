'use client';

import { useCartPersistence } from '@/lib/shop/client/cart-store';
import type { CartSku } from '@/lib/shop/domain/cart-lines';

/**
 * Loads the saved cart once the page is interactive (rendered once, in the root layout). `skus`, every SKU the
 * catalogue sells, comes from the server layout: the saved lines are checked against it.
 */
export function CartHydrator({ skus }: { skus: CartSku[] }) {
  useCartPersistence(skus);
  return null;
}
