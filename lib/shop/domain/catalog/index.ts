import { collections as collectionData } from './collections';
import { featuredProductHandles, products as productData } from './products';
import { quiz as quizData } from './quiz';
import type { CartSku } from '../cart-lines';
import type { Collection, Product, Variant } from './schema';

export type { Collection, Product, Quiz, SkinType, Variant } from './schema';
export { skinTypes, isSkinType } from './skin-types';
export { DISCONTINUED_IMAGE, findVariant, startingPriceCents } from './product-helpers';
export { CURRENCY } from '../money';

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

/** A SKU as the cart knows it (names, price, picture, page), or undefined when the catalogue does not sell it. */
export function findCartSku(sku: string): CartSku | undefined {
  const found = bySku.get(sku);
  if (!found) return undefined;
  const { product, variant } = found;
  return {
    sku,
    variantId: variant.id,
    productId: product.id,
    name: product.name,
    variantName: variant.name,
    priceCents: variant.priceCents,
    image: product.image,
    handle: product.handle,
  };
}

/** Every SKU as the cart knows it: what the browser's cart checks its saved lines against (CartHydrator). */
export function listCartSkus(): CartSku[] {
  return [...bySku.keys()].map((sku) => findCartSku(sku)!);
}

/** The product an order line was for — by product id, else by SKU — while it is still in the catalogue. */
export function productForLine(line: { productId: string; sku: string }): Product | undefined {
  return byId.get(line.productId) ?? bySku.get(line.sku)?.product;
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

export function getQuiz() {
  return quiz;
}
