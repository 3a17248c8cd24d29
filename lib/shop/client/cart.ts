'use client';

import { recordCartAdd, recordCartRemove } from '@/lib/shop/actions/cart';
import { cartProps } from '@/lib/shop/domain/tracking-items';
import { track } from '@/lib/tracking/browser';
import { useCart, type CartState } from './cart-store';
import { browserOrigin, skuLines } from './tracking';

const quantityOf = (sku: string) => useCart.getState().lines.find((l) => l.sku === sku)?.quantity ?? 0;

/**
 * Changes the cart through `change` and tracks what really changed (the store caps quantities at 99); the server
 * mirrors each change with the same messageId.
 */
export function updateCart(sku: string, variantId: string, change: (cart: CartState) => void): void {
  const before = quantityOf(sku);
  change(useCart.getState());
  const delta = quantityOf(sku) - before;
  if (delta === 0) return;
  const lines = useCart.getState().lines;
  const cart = cartProps(lines, browserOrigin());
  if (delta < 0) {
    const removed = { sku, quantity: -delta };
    const messageId = track('Removed from Cart', { removed: { ...removed, variant_id: variantId }, ...cart });
    void recordCartRemove({ lines: skuLines(lines), removed, messageId }).catch(() => undefined);
    return;
  }
  const messageId = track('Added to Cart', { added: { sku, variant_id: variantId, quantity: delta }, ...cart });
  void recordCartAdd({ lines: skuLines(lines), added: { sku, quantity: delta }, messageId }).catch(() => undefined);
}
