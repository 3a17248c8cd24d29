/**
 * Pure cart maths used by the cart store (lib/shop/client/cart-store.ts) (and unit-testable without a DOM).
 * A line carries only what identifies it; prices always come from the catalogue.
 * No import of the catalogue here: the store runs in every storefront page's first load, so what it needs of the
 * catalogue (a SKU's variant id and product name) is handed to it (CartSku, from the server layout).
 */
export type CartLine = { sku: string; variantId: string; quantity: number };

/** What the cart needs to know of a SKU the catalogue sells: to check, price and show a line, and track it. */
export type CartSku = {
  sku: string;
  variantId: string;
  productId: string;
  /** The product's name. */
  name: string;
  variantName: string;
  priceCents: number;
  image: string;
  /** The product page's handle. */
  handle: string;
};
export type FindCartSku = (sku: string) => CartSku | undefined;

/** A line as the shopper is told of it: product and size ("Barrier Repair Cream, 50 ml"), as the cart's rows say. */
export const itemName = ({ name, variantName }: Pick<CartSku, 'name' | 'variantName'>) => `${name}, ${variantName}`;

/** The most of one item per order (pricing.ts and the server's schemas use it too). */
export const MAX_LINE_QUANTITY = 99;

/** The most different items (lines) per order: checkout, its quote and the cart mirrors refuse more. */
export const MAX_CART_LINES = 20;

// Checked by hand, not with zod: the cart store runs this in every storefront page's first load. The server's
// schema of the same line (./cart-line-schema.ts) uses these bounds.
export const MAX_ID_LENGTH = 64;
const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= MAX_ID_LENGTH;
export const isLineQuantity = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_LINE_QUANTITY;

/** Clamps to 0…99 whole units; anything that is not a number counts as 0. */
export function clampQuantity(quantity: number): number {
  if (!Number.isFinite(quantity)) return 0;
  return Math.min(MAX_LINE_QUANTITY, Math.max(0, Math.trunc(quantity)));
}

/**
 * One line per SKU: quantities of repeated SKUs are summed and capped at 99, keeping the first line's other
 * fields. Used by the cart (client) and by the checkout schema (server), so neither can be handed 3 × 99.
 */
export function mergeLines<L extends { sku: string; quantity: number }>(lines: readonly L[]): L[] {
  const bySku = new Map<string, L>();
  for (const line of lines) {
    const seen = bySku.get(line.sku);
    bySku.set(line.sku, { ...(seen ?? line), quantity: clampQuantity((seen?.quantity ?? 0) + line.quantity) });
  }
  return [...bySku.values()];
}

/**
 * Adds a line, merging with an existing line of the same SKU; the quantity is capped at 99. A new SKU does not go
 * into a cart that already holds MAX_CART_LINES: such a cart could not be checked out (nor mirrored to the server).
 */
export function addLine(lines: readonly CartLine[], line: CartLine): CartLine[] {
  const quantity = clampQuantity(line.quantity);
  if (quantity === 0) return [...lines];
  if (lines.length >= MAX_CART_LINES && !lines.some((l) => l.sku === line.sku)) return [...lines];
  return mergeLines([...lines, { sku: line.sku, variantId: line.variantId, quantity }]);
}

/** Sets a line's quantity (capped at 99); 0 or less removes it. Unknown SKUs leave the cart unchanged. */
export function setLineQuantity(lines: readonly CartLine[], sku: string, quantity: number): CartLine[] {
  const q = clampQuantity(quantity);
  if (q === 0) return removeLine(lines, sku);
  return lines.map((l) => (l.sku === sku ? { ...l, quantity: q } : l));
}

export function removeLine(lines: readonly CartLine[], sku: string): CartLine[] {
  return lines.filter((l) => l.sku !== sku);
}

export function countItems(lines: readonly CartLine[]): number {
  return lines.reduce((n, l) => n + l.quantity, 0);
}

/**
 * A stored line the cart could not keep as it was, and why, for the notice on the cart and checkout pages. `name`:
 * the item's (itemName): two sizes of one product are two lines.
 */
export type CartNotice =
  | { kind: 'unknown'; sku: string }
  | { kind: 'quantity'; sku: string; name: string; quantity: number | null }
  | { kind: 'malformed' }
  | { kind: 'capped'; sku: string; name: string; requested: number }
  | { kind: 'too_many'; sku: string; name: string };

/**
 * Cleans lines read back from storage (user-editable input): drops malformed entries, SKUs no longer in the
 * catalogue and impossible quantities, re-derives the variant id from the SKU, merges duplicates (capped at 99)
 * and keeps at most MAX_CART_LINES lines. Returns what was kept and a notice for every line dropped or reduced,
 * so the shopper is told.
 */
export function sanitizeLines(raw: unknown, findSku: FindCartSku): { lines: CartLine[]; notices: CartNotice[] } {
  const notices: CartNotice[] = [];
  const kept: CartLine[] = [];
  for (const item of Array.isArray(raw) ? raw : []) {
    const stored = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : null;
    if (!stored || !isId(stored.sku)) {
      notices.push({ kind: 'malformed' });
      continue;
    }
    const { sku, quantity } = stored;
    const found = findSku(sku);
    if (!found) notices.push({ kind: 'unknown', sku });
    else if (isLineQuantity(quantity)) kept.push({ sku, variantId: found.variantId, quantity });
    else {
      const shown = typeof quantity === 'number' ? quantity : null;
      notices.push({ kind: 'quantity', sku, name: itemName(found), quantity: shown });
    }
  }
  const merged = mergeLines(kept);
  // More different items than an order holds (saved by an older version, or edited): the first ones stay.
  const lines = merged.slice(0, MAX_CART_LINES);
  for (const line of merged.slice(MAX_CART_LINES)) {
    notices.push({ kind: 'too_many', sku: line.sku, name: itemName(findSku(line.sku)!) });
  }
  for (const line of lines) {
    const requested = countItems(kept.filter((l) => l.sku === line.sku));
    if (requested > line.quantity) {
      notices.push({ kind: 'capped', sku: line.sku, name: itemName(findSku(line.sku)!), requested });
    }
  }
  return { lines, notices };
}
