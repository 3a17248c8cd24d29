import type { EventProps } from '@/lib/tracking/plan';
import { cartPayload, toMajorUnits, type CartItem } from '@/lib/tracking/plan-payload';
import { CURRENCY, DISCONTINUED_IMAGE, productForLine, type Product, type Variant } from './catalog';
import { priceLines, type CartLineInput, type PricedLine } from './pricing';

/**
 * THE mapping from the shop's cart lines, products and orders to the tracking plan's shapes, used by the
 * browser (origin = window.location.origin) and by server actions (origin = env().appUrl). Prices always
 * come from the catalogue (or the stored order), never from the client; URLs are absolute so a recovery
 * email can show and link them.
 */

/** What an item needs of a priced cart line (pricing.ts); order lines are mapped to the same names. */
type ItemSource = Pick<
  PricedLine,
  'sku' | 'variantId' | 'productId' | 'name' | 'variantName' | 'quantity' | 'unitPriceCents'
>;

const absolute = (origin: string, path: string) => new URL(path, origin).toString();

export function productUrl(origin: string, product: Pick<Product, 'handle'>, variantId: string): string {
  return absolute(origin, `/products/${product.handle}?variant=${encodeURIComponent(variantId)}`);
}

function toItem(line: ItemSource, origin: string): CartItem {
  // Order lines outlive the catalogue: a discontinued product still gets working (if generic) links.
  const product = productForLine(line);
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

/** The cart block (items, cart_value, item_count, currency) for SKU + quantity lines, priced from the catalogue. */
export function cartProps(lines: readonly CartLineInput[], origin: string) {
  const priced = priceLines(lines).lines;
  return cartPayload(
    priced.map((l) => toItem(l, origin)),
    CURRENCY,
  );
}

export function productViewedProps(product: Product, variant: Variant, origin: string): EventProps<'Product Viewed'> {
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

type StoredOrder = {
  id: string;
  subtotal_cents: number;
  shipping_cents: number;
  tax_cents: number;
  total_cents: number;
  currency: string;
  lines: {
    sku: string;
    variant_id: string;
    product_id: string;
    name: string;
    variant_name: string;
    quantity: number;
    unit_price_cents: number;
  }[];
};

/** Order Completed from the order as stored (its own prices and totals, not a fresh quote). */
export function orderCompletedProps(order: StoredOrder, origin: string): EventProps<'Order Completed'> {
  const items = order.lines.map((l) =>
    toItem(
      {
        sku: l.sku,
        variantId: l.variant_id,
        productId: l.product_id,
        name: l.name,
        variantName: l.variant_name,
        quantity: l.quantity,
        unitPriceCents: l.unit_price_cents,
      },
      origin,
    ),
  );
  return {
    order_id: order.id,
    items,
    subtotal: toMajorUnits(order.subtotal_cents),
    shipping: toMajorUnits(order.shipping_cents),
    tax: toMajorUnits(order.tax_cents),
    total: toMajorUnits(order.total_cents),
    currency: order.currency,
  };
}
