import type { EventProps } from '@/lib/tracking/plan';
import { toMajorUnits } from '@/lib/tracking/plan-payload';
import { findCartSku, productForLine } from './catalog';
import type { CartLineInput } from './line-pricing';
import { cartPropsWith, planItem } from './plan-items';

/**
 * THE mapping from the shop's cart lines, products and orders to the tracking plan's shapes, used by server
 * actions (origin = env().appUrl); the browser uses ./plan-items.ts, the same mapping without the catalogue.
 * Prices always come from the catalogue (or the stored order), never from the client; URLs are absolute so a
 * recovery email can show and link them.
 */

export { productUrl, productViewedProps } from './plan-items';

/** The cart block (items, cart_value, item_count, currency) for SKU + quantity lines, priced from the catalogue. */
export function cartProps(lines: readonly CartLineInput[], origin: string) {
  return cartPropsWith(lines, origin, findCartSku);
}

type StoredOrder = {
  id: string;
  subtotal_cents: number;
  shipping_cents: number;
  tax_cents: number;
  total_cents: number;
  currency: string;
  /** Absent or null/0 on an order without a code. */
  discount_cents?: number;
  discount_code?: string | null;
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
    planItem(
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
      // Order lines outlive the catalogue: a discontinued product still gets working (if generic) links.
      productForLine({ productId: l.product_id, sku: l.sku }),
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
    // Only on an order that used a code: an order without one is tracked exactly as before codes existed.
    ...(order.discount_code && { coupon: order.discount_code, discount: toMajorUnits(order.discount_cents ?? 0) }),
  };
}
