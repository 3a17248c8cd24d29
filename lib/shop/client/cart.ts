'use client';

import { recordCartAdd, recordCartRemove } from '@/lib/shop/actions/cart';
import { diffLines, type LineChange } from '@/lib/shop/domain/cart-changes';
import { cartPropsWith } from '@/lib/shop/domain/plan-items';
import { track } from '@/lib/tracking/browser';
import { findKnownSku, useCart, type CartState } from './cart-store';
import { skuLines } from './shopper';
import { browserOrigin } from './tracking';

/**
 * Changes the cart once through `change` and tracks what really changed, SKU by SKU (the store caps
 * quantities at 99): one Removed from Cart per line lowered or removed, one Added to Cart per line raised or
 * added, each carrying the cart as it now is and mirrored by the server. Returns the changes, so the caller can
 * say what happened.
 */
export function updateCart(change: (cart: CartState) => void): LineChange[] {
  const before = useCart.getState().lines;
  change(useCart.getState());
  const lines = useCart.getState().lines;
  const changes = diffLines(before, lines);
  if (changes.length === 0) return changes;
  const cart = cartPropsWith(lines, browserOrigin(), findKnownSku);
  for (const { sku, variantId, delta } of changes) {
    const line = { sku, variant_id: variantId, quantity: Math.abs(delta) };
    if (delta < 0) {
      const messageId = track('Removed from Cart', { removed: line, ...cart });
      const removed = { sku, quantity: -delta };
      void recordCartRemove({ lines: skuLines(lines), removed, messageId }).catch(() => undefined);
      continue;
    }
    const messageId = track('Added to Cart', { added: line, ...cart });
    void recordCartAdd({ lines: skuLines(lines), added: { sku, quantity: delta }, messageId }).catch(() => undefined);
  }
  return changes;
}
