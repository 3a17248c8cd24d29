import type { CartSku } from './cart-lines';

// Catalogue-free (the cart's notice runs in the browser): the SKUs sold are handed in.

/** The most characters of a SKU a message shows: a saved or sent SKU can be anything, of any length. */
const SHOWN_SKU_CHARS = 24;

/** A SKU as a message quotes it when nothing better is known: printable characters only, shortened with "…". */
export function shownSku(sku: string): string {
  // By code point, so an emoji is never cut in half.
  const chars = [...sku.replace(/[\p{C}\p{Z}]+/gu, ' ').trim()];
  return chars.length > SHOWN_SKU_CHARS
    ? `${chars
        .slice(0, SHOWN_SKU_CHARS - 1)
        .join('')
        .trimEnd()}…`
    : chars.join('');
}

/** The SKU without its size ("GL-SER-NIA-60" → "GL-SER-NIA"): the sizes of one product share it. */
const familyOf = (sku: string) => sku.slice(0, Math.max(0, sku.lastIndexOf('-')));

/**
 * How a person is told of an item the catalogue no longer sells, to start a sentence: a size of a product still
 * sold when the SKU's family belongs to that product alone ("A size of Niacinamide 10% Serum"), else "An item"
 * with the SKU quoted, shortened (the shopper's only clue, and it may be anything a request sent).
 */
export function unsoldItem(sku: string, sold: Iterable<Pick<CartSku, 'sku' | 'productId' | 'name'>>): string {
  const family = familyOf(sku);
  const products = new Map<string, string>();
  if (family) for (const s of sold) if (familyOf(s.sku) === family) products.set(s.productId, s.name);
  const [name, ...others] = products.values();
  return name !== undefined && others.length === 0 ? `A size of ${name}` : `An item ("${shownSku(sku)}")`;
}
