import { z } from 'zod';
import { findVariantBySku } from './catalog';
import { MAX_LINE_QUANTITY } from './pricing';

/**
 * Pure cart maths used by the zustand store (and unit-testable without a DOM).
 * A line carries only what identifies it; prices always come from the catalogue.
 */
export type CartLine = { sku: string; variantId: string; quantity: number };

export const cartLineSchema = z.object({
  sku: z.string().min(1).max(64),
  variantId: z.string().min(1).max(64),
  quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY),
});

/** Clamps to 0…99 whole units; anything that is not a number counts as 0. */
export function clampQuantity(quantity: number): number {
  if (!Number.isFinite(quantity)) return 0;
  return Math.min(MAX_LINE_QUANTITY, Math.max(0, Math.trunc(quantity)));
}

/** Adds a line, merging with an existing line of the same SKU; the quantity is capped at 99. */
export function addLine(lines: readonly CartLine[], line: CartLine): CartLine[] {
  const quantity = clampQuantity(line.quantity);
  if (quantity === 0) return [...lines];
  const existing = lines.find((l) => l.sku === line.sku);
  if (!existing) return [...lines, { sku: line.sku, variantId: line.variantId, quantity }];
  return lines.map((l) => (l.sku === line.sku ? { ...l, quantity: clampQuantity(l.quantity + quantity) } : l));
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
 * Cleans lines read back from storage: drops malformed entries and SKUs no longer in the catalogue,
 * re-derives the variant id from the SKU and merges duplicates. Storage is user-editable input.
 */
export function sanitizeLines(raw: unknown): CartLine[] {
  if (!Array.isArray(raw)) return [];
  return raw.reduce<CartLine[]>((acc, item) => {
    const parsed = cartLineSchema.safeParse(item);
    if (!parsed.success) return acc;
    const found = findVariantBySku(parsed.data.sku);
    if (!found) return acc;
    return addLine(acc, { sku: parsed.data.sku, variantId: found.variant.id, quantity: parsed.data.quantity });
  }, []);
}
