'use client';

import { recordCartAdd, recordCartRemove } from '@/lib/shop/actions/cart';
import type { LineChange } from '@/lib/shop/domain/cart-changes';
import { cartPropsWith } from '@/lib/shop/domain/plan-items';
import { track } from '@/lib/tracking/browser';
import { changeCart } from './cart-change';
import { findKnownSku, type CartLine, type CartState } from './cart-store';
import { mirrorOnServer } from './mirror';
import { skuLines } from './shopper';
import { browserOrigin } from './tracking';

/**
 * Tracks what one cart update really changed, SKU by SKU: one Removed from Cart per line lowered or removed, one
 * Added to Cart per line raised or added, each carrying the cart as it now is (`lines`) and mirrored by the server.
 */
export function trackCartChanges(lines: CartLine[], changes: readonly LineChange[]): void {
  if (changes.length === 0) return;
  const cart = cartPropsWith(lines, browserOrigin(), findKnownSku);
  for (const { sku, variantId, delta } of changes) {
    const line = { sku, variant_id: variantId, quantity: Math.abs(delta) };
    if (delta < 0) {
      const messageId = track('Removed from Cart', { removed: line, ...cart });
      const removed = { sku, quantity: -delta };
      mirrorOnServer((ageMs) => recordCartRemove({ lines: skuLines(lines), removed, messageId, ageMs }));
      continue;
    }
    const messageId = track('Added to Cart', { added: line, ...cart });
    mirrorOnServer((ageMs) =>
      recordCartAdd({ lines: skuLines(lines), added: { sku, quantity: delta }, messageId, ageMs }),
    );
  }
}

/** Changes the cart once through `change` (changeCart) and tracks it; returns the changes, to say what happened. */
export function updateCart(change: (cart: CartState) => void): LineChange[] {
  const { lines, changes } = changeCart(change);
  trackCartChanges(lines, changes);
  return changes;
}
