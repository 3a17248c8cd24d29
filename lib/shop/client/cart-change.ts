'use client';

import { diffLines, type LineChange } from '@/lib/shop/domain/cart-changes';
import { readSavedCartFirst, useCart, type CartLine, type CartState } from './cart-store';

/**
 * Changes the cart once through `change`, at once (saved before this returns), and says what really changed, SKU by
 * SKU (the store caps quantities at 99). Tracking those changes is `trackCartChanges` (cart.ts), which may load
 * later: a shopper's add never waits for it.
 */
export function changeCart(change: (cart: CartState) => void): { lines: CartLine[]; changes: LineChange[] } {
  readSavedCartFirst();
  const before = useCart.getState().lines;
  change(useCart.getState());
  const lines = useCart.getState().lines;
  return { lines, changes: diffLines(before, lines) };
}
