import { MAX_CART_LINES, MAX_LINE_QUANTITY, type CartLine, type FindCartSku } from './cart-lines';
import type { LineChange } from './cart-changes';

// Apart from ./cart-changes.ts: the Add to cart button loads this after hydration, out of the pages' first load.

const capNote = `the most of one item per order`;
const fullNote = `your cart already holds ${MAX_CART_LINES} different items, the most per order`;

const listed = (names: string[]) =>
  names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

/**
 * The sentence after "Add to cart": what really went into the cart. Lines already at the 99 cap add less (or
 * nothing), a new product does not fit a cart of MAX_CART_LINES different items, and the sentence says so instead
 * of claiming the full quantity. `cart` is the cart after the update; `findSku` names the products.
 */
export function addedMessage(
  requested: readonly CartLine[],
  changes: readonly LineChange[],
  cart: readonly CartLine[],
  findSku: FindCartSku,
): string {
  const added = new Map(changes.filter((c) => c.delta > 0).map((c) => [c.sku, c.delta]));
  const short = requested.filter((l) => (added.get(l.sku) ?? 0) < l.quantity);
  const inCart = (sku: string) => cart.some((l) => l.sku === sku);
  if (requested.length === 1) {
    const n = added.get(requested[0]!.sku) ?? 0;
    if (short.length === 0) return `Added ${n} to your cart.`;
    if (!inCart(requested[0]!.sku)) return `Not added: ${fullNote}. Remove one to make room.`;
    if (n === 0) return `Not added: your cart already has ${MAX_LINE_QUANTITY} of these, ${capNote}.`;
    return `Added ${n}: your cart now has ${MAX_LINE_QUANTITY} of these, ${capNote}.`;
  }
  const count = requested.filter((l) => added.has(l.sku)).length;
  if (short.length === 0) return `Added all ${count} products to your cart.`;
  const name = (l: CartLine) => findSku(l.sku)?.name ?? l.sku;
  const capped = short.filter((l) => inCart(l.sku)).map(name);
  const left = short.filter((l) => !inCart(l.sku)).map(name);
  const why = [
    capped.length > 0 &&
      `${listed(capped)} ${capped.length === 1 ? 'has' : 'have'} reached ${MAX_LINE_QUANTITY}, ${capNote}.`,
    left.length > 0 && `${listed(left)} did not fit: ${fullNote}.`,
  ].filter(Boolean);
  return `Added ${count} of ${requested.length} products to your cart. ${why.join(' ')}`;
}
