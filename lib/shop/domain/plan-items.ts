import type { EventProps } from '@/lib/tracking/plan';
import { cartPayload, toMajorUnits, type CartItem } from '@/lib/tracking/plan-payload';
import type { FindCartSku } from './cart-lines';
import { DISCONTINUED_IMAGE, type ViewedProduct } from './catalog/product-helpers';
import type { Product, Variant } from './catalog/schema';
import { priceLinesWith, type CartLineInput, type PricedLine } from './line-pricing';
import { CURRENCY } from './money';

/**
 * The mapping from cart lines and products to the tracking plan's shapes, without the catalogue: the browser
 * (origin = window.location.origin) prices lines from the SKUs the server layout handed it, the server
 * (./tracking-items.ts) from the catalogue. URLs are absolute so a recovery email can show and link them.
 */

/** What an item needs of a priced cart line; order lines are mapped to the same names. */
type ItemSource = Pick<
  PricedLine,
  'sku' | 'variantId' | 'productId' | 'name' | 'variantName' | 'quantity' | 'unitPriceCents'
>;

const absolute = (origin: string, path: string) => new URL(path, origin).toString();

export function productUrl(origin: string, product: Pick<Product, 'handle'>, variantId: string): string {
  return absolute(origin, `/products/${product.handle}?variant=${encodeURIComponent(variantId)}`);
}

/** One item; without `product` (no longer in the catalogue) it links to the shop's icon and collections. */
export function planItem(line: ItemSource, origin: string, product?: Pick<Product, 'image' | 'handle'>): CartItem {
  return {
    sku: line.sku,
    variant_id: line.variantId,
    product_id: line.productId,
    name: line.name,
    variant_name: line.variantName,
    quantity: line.quantity,
    price: toMajorUnits(line.unitPriceCents),
    image_url: absolute(origin, product?.image ?? DISCONTINUED_IMAGE),
    product_url: product ? productUrl(origin, product, line.variantId) : absolute(origin, '/collections'),
  };
}

/** The cart block (items, cart_value, item_count, currency) for SKU + quantity lines, priced by `findSku`. */
export function cartPropsWith(lines: readonly CartLineInput[], origin: string, findSku: FindCartSku) {
  const priced = priceLinesWith(lines, findSku).lines;
  return cartPayload(
    priced.map((l) => planItem(l, origin, l)),
    CURRENCY,
  );
}

export function productViewedProps(
  product: ViewedProduct,
  variant: Variant,
  origin: string,
): EventProps<'Product Viewed'> {
  return {
    product_id: product.id,
    sku: variant.sku,
    variant_id: variant.id,
    name: product.name,
    variant_name: variant.name,
    category: product.category,
    price: toMajorUnits(variant.priceCents),
    currency: CURRENCY,
    image_url: absolute(origin, product.image),
    product_url: productUrl(origin, product, variant.id),
  };
}
