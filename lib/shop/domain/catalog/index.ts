import { collections as collectionData } from './collections';
import { featuredProductHandles, products as productData } from './products';
import { quiz as quizData } from './quiz';
import type { CartSku } from '../cart-lines';
import type { Collection, Product, Variant } from './schema';

export type { Collection, Product, Quiz, SkinType, Variant } from './schema';
export { skinTypes, isSkinType } from './skin-types';

export const CURRENCY = 'USD';

// The data is typed here and checked against ./schema.ts (zod) by tests/unit/shop/catalog.test.ts, not at load:
// client components import this module, and zod would then be in every page's first load.
const products: readonly Product[] = Object.freeze(productData);
const collections: readonly Collection[] = Object.freeze(collectionData);
const quiz = quizData;

const byHandle = new Map(products.map((p) => [p.handle, p]));
const byId = new Map(products.map((p) => [p.id, p]));
const bySku = new Map(
  products.flatMap((product) => product.variants.map((variant) => [variant.sku, { product, variant }])),
);
const collectionsByHandle = new Map(collections.map((c) => [c.handle, c]));

export function listProducts(): Product[] {
  return [...products];
}

export function getProductByHandle(handle: string): Product | undefined {
  return byHandle.get(handle);
}

export function getProductById(id: string): Product | undefined {
  return byId.get(id);
}

export function findVariantBySku(sku: string): { product: Product; variant: Variant } | undefined {
  return bySku.get(sku);
}

/** A SKU as the cart knows it (variant id, product name), or undefined when the catalogue does not sell it. */
export function findCartSku(sku: string): CartSku | undefined {
  const found = bySku.get(sku);
  return found && { sku, variantId: found.variant.id, name: found.product.name };
}

/** Every SKU as the cart knows it: what the browser's cart checks its saved lines against (CartHydrator). */
export function listCartSkus(): CartSku[] {
  return [...bySku.keys()].map((sku) => findCartSku(sku)!);
}

/** The image shown for an ordered product that has since left the catalogue (the shop's icon). */
export const DISCONTINUED_IMAGE = '/icon.svg';

/** The product an order line was for — by product id, else by SKU — while it is still in the catalogue. */
export function productForLine(line: { productId: string; sku: string }): Product | undefined {
  return byId.get(line.productId) ?? bySku.get(line.sku)?.product;
}

/** The variant named by `?variant=<id>`, falling back to the first one for a missing or stale id. */
export function findVariant(product: Product, variantId: string | undefined): Variant {
  return product.variants.find((v) => v.id === variantId) ?? product.variants[0]!;
}

export function listCollections(): Collection[] {
  return [...collections];
}

export function getCollectionByHandle(handle: string): Collection | undefined {
  return collectionsByHandle.get(handle);
}

export function productsInCollection(c: Collection): Product[] {
  return c.productIds.flatMap((id) => byId.get(id) ?? []);
}

/** The first collection listing a product, for breadcrumbs and "more like this". */
export function collectionForProduct(productId: string): Collection | undefined {
  return collections.find((c) => c.productIds.includes(productId));
}

export function listFeaturedProducts(): Product[] {
  return featuredProductHandles.flatMap((h) => byHandle.get(h) ?? []);
}

/** A product's key ingredients; a bundle has those of its parts, each once, in part order. */
export function productIngredients(product: Product): string[] {
  if (!product.bundleOf) return product.ingredients ?? [];
  const parts = product.bundleOf.flatMap((sku) => bySku.get(sku)?.product.ingredients ?? []);
  return [...new Set(parts)];
}

/** The lowest variant price, shown as "from $x" on cards. */
export function startingPriceCents(product: Product): number {
  return Math.min(...product.variants.map((v) => v.priceCents));
}

export function getQuiz() {
  return quiz;
}
