import { MAX_LINE_QUANTITY, type CartLine, type FindCartSku } from './cart-lines';

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

const capNote = `the most of one item per order`;

/**
 * The sentence after "Add to cart": what really went into the cart. Lines already at the 99 cap add less (or
 * nothing), and the sentence says so instead of claiming the full quantity. `findSku` names the products.
 */
export function addedMessage(
  requested: readonly CartLine[],
  changes: readonly LineChange[],
  findSku: FindCartSku,
): string {
  const added = new Map(changes.filter((c) => c.delta > 0).map((c) => [c.sku, c.delta]));
  const short = requested.filter((l) => (added.get(l.sku) ?? 0) < l.quantity);
  if (requested.length === 1) {
    const n = added.get(requested[0]!.sku) ?? 0;
    if (short.length === 0) return `Added ${n} to your cart.`;
    if (n === 0) return `Not added: your cart already has ${MAX_LINE_QUANTITY} of these, ${capNote}.`;
    return `Added ${n}: your cart now has ${MAX_LINE_QUANTITY} of these, ${capNote}.`;
  }
  const count = requested.filter((l) => added.has(l.sku)).length;
  if (short.length === 0) return `Added all ${count} products to your cart.`;
  const names = short.map((l) => findSku(l.sku)?.name ?? l.sku);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  const have = names.length === 1 ? 'has' : 'have';
  return `Added ${count} of ${requested.length} products to your cart. ${list} ${have} reached ${MAX_LINE_QUANTITY}, ${capNote}.`;
}
