import { mergeLines, type CartLine } from './cart-lines';

// Apart from ./cart-lines.ts (which the cart store loads on every page): only the checkout form, after an order, loads it.

/**
 * What is left of the cart once an order took `bought` out of it: each line lowered by the quantity of its SKU that
 * was bought, gone at 0. Lines and quantities added after the checkout was shown (in another tab) stay.
 */
export function removeBought<L extends { sku: string; quantity: number } = CartLine>(
  lines: readonly L[],
  bought: readonly { sku: string; quantity: number }[],
): L[] {
  const boughtBySku = new Map(mergeLines(bought).map((l) => [l.sku, l.quantity]));
  return lines.flatMap((l) => {
    const left = l.quantity - (boughtBySku.get(l.sku) ?? 0);
    return left > 0 ? [{ ...l, quantity: left }] : [];
  });
}
