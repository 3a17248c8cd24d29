'use client';

import { recordCartAdd, recordCartAfterOrder, recordCartRemove } from '@/lib/shop/actions/cart';
import { diffLines, type LineChange } from '@/lib/shop/domain/cart-changes';
import { cartPropsWith } from '@/lib/shop/domain/plan-items';
import { track } from '@/lib/tracking/browser';
import { changeCart } from './cart-change';
import { findKnownSku, useCart, type CartLine, type CartState } from './cart-store';
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

/**
 * What an order left in the cart (lines another tab added while it was placed) becomes the known shopper's `cart`
 * attribute again, which the order's identify emptied: cart recovery then sees those lines. `afterIdentify: false`:
 * an order found placed earlier (its answer was lost), whose identify came before the cart changes mirrored since,
 * so the attribute follows the cart even when nothing is left.
 */
export function followCartAfterOrder(kept: readonly CartLine[], { afterIdentify = true } = {}): void {
  if (kept.length || !afterIdentify) mirrorOnServer(() => recordCartAfterOrder({ lines: skuLines(kept) }));
}

/**
 * A quantity being typed changes the cart at each keystroke that makes a number ("1", then "12" for 2 → 12): the cart
 * follows at once, its tracking once the typing is done (settleTypedQuantity), as one change from the line as it
 * was before: one Added to Cart of 10, not a Removed from Cart of 1 and an Added to Cart of 11. SKU → that line
 * (undefined: the SKU was not in the cart).
 */
const typedFrom = new Map<string, CartLine | undefined>();

/** The typing on `sku`'s quantity is done: what it changed in all is tracked (nothing when it changed nothing). */
export function settleTypedQuantity(sku: string): void {
  if (!typedFrom.has(sku)) return;
  const before = typedFrom.get(sku);
  typedFrom.delete(sku);
  const lines = useCart.getState().lines;
  trackCartChanges(
    lines,
    diffLines(
      before ? [before] : [],
      lines.filter((l) => l.sku === sku),
    ),
  );
}

/**
 * Changes the cart once through `change` (changeCart) and tracks it; returns the changes, to say what happened.
 * `typing`: the SKU whose quantity is being typed, tracked once the typing is done (see typedFrom).
 */
export function updateCart(change: (cart: CartState) => void, typing?: string): LineChange[] {
  // Typing left unsettled (a press elsewhere came first) is tracked before this change, in the order they happened.
  for (const sku of typedFrom.keys()) if (sku !== typing) settleTypedQuantity(sku);
  if (typing !== undefined && !typedFrom.has(typing))
    typedFrom.set(
      typing,
      useCart.getState().lines.find((l) => l.sku === typing),
    );
  const { lines, changes } = changeCart(change);
  if (typing === undefined) trackCartChanges(lines, changes);
  return changes;
}
