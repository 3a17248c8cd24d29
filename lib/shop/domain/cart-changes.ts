import type { CartLine } from './cart-lines';

/** What one cart update did to one SKU: `delta` > 0 added, < 0 removed. */
export type LineChange = { sku: string; variantId: string; delta: number };

/** The per-SKU differences between two carts: lines kept in the new cart's order, then the removed ones. */
export function diffLines(before: readonly CartLine[], after: readonly CartLine[]): LineChange[] {
  const was = new Map(before.map((l) => [l.sku, l]));
  const now = new Map(after.map((l) => [l.sku, l]));
  const changed = after.map((l) => ({
    sku: l.sku,
    variantId: l.variantId,
    delta: l.quantity - (was.get(l.sku)?.quantity ?? 0),
  }));
  const removed = before
    .filter((l) => !now.has(l.sku))
    .map((l) => ({ sku: l.sku, variantId: l.variantId, delta: -l.quantity }));
  return [...changed, ...removed].filter((c) => c.delta !== 0);
}
