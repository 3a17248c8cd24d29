import { formatMoney } from '../money';
import type { Product, Variant } from './schema';

// Pure functions of one product, apart from ./index.ts (which holds the whole catalogue) so that client components
// given a product by their server page can use them without loading the catalogue.

/** The image shown for an ordered product that has since left the catalogue (the shop's icon). */
export const DISCONTINUED_IMAGE = '/icon.svg';

/** The variant named by `?variant=<id>`, falling back to the first one for a missing or stale id. */
export function findVariant(product: Pick<Product, 'variants'>, variantId: string | undefined): Variant {
  return product.variants.find((v) => v.id === variantId) ?? product.variants[0]!;
}

/**
 * What a product page's client island (ProductPurchase) gets of its product: what it shows, puts in the cart and
 * sends with Product Viewed. Not the description, skin types or ingredients, which the page renders on the server:
 * whatever a client component is given is serialised into the page a second time (the RSC payload) and hydrated.
 */
export type PurchasableProduct = ViewedProduct & Pick<Product, 'variants'>;

/** What Product Viewed says of a product (with the variant's own fields). */
export type ViewedProduct = Pick<Product, 'id' | 'handle' | 'name' | 'category' | 'image'>;

export const toPurchasable = ({ id, handle, name, category, image, variants }: Product): PurchasableProduct => ({
  id,
  handle,
  name,
  category,
  image,
  variants,
});

/**
 * Each variant's price as shown ("$12.50"), by variant id: made by the server page for its client island
 * (ProductPurchase), so the browser formats no money while the page hydrates.
 */
export const variantPrices = (product: Pick<Product, 'variants'>): Record<string, string> =>
  Object.fromEntries(product.variants.map((v) => [v.id, formatMoney(v.priceCents)]));

/** The lowest variant price, shown as "from $x" on cards. */
export function startingPriceCents(product: { variants: readonly { priceCents: number }[] }): number {
  return Math.min(...product.variants.map((v) => v.priceCents));
}
