/**
 * The zod-free part of the tracking plan (./plan.ts): the schema version and the cart block's builders. Browser
 * code imports these without pulling the plan's validators into the page's first load; the plan itself is checked
 * in the chunk loaded with the SDK (./sdk.ts) and by the pipeline.
 */
export { SCHEMA_VERSION } from './schema-version';

/** One cart line as the plan carries it (plan.ts's cartItemSchema is checked against this type). */
export type CartItem = {
  sku: string;
  variant_id: string;
  product_id: string;
  name: string;
  /** The variant's label shown to shoppers ("150 ml"); optional, for shops whose products have one variant. */
  variant_name?: string;
  quantity: number;
  price: number;
  image_url: string;
  product_url: string;
};

/** Builds the cart block every cart-bearing event carries. Sums in integer cents to avoid float drift. */
export function cartPayload(lines: readonly CartItem[], currencyCode: string) {
  const items: CartItem[] = lines.map((l) => ({
    sku: l.sku,
    variant_id: l.variant_id,
    product_id: l.product_id,
    name: l.name,
    ...(l.variant_name ? { variant_name: l.variant_name } : {}),
    quantity: l.quantity,
    price: l.price,
    image_url: l.image_url,
    product_url: l.product_url,
  }));
  const cents = items.reduce((sum, l) => sum + Math.round(l.price * 100) * l.quantity, 0);
  return {
    items,
    cart_value: cents / 100,
    item_count: items.reduce((sum, l) => sum + l.quantity, 0),
    currency: currencyCode,
  };
}

/** Integer cents (the shop's money) → decimal major units (the plan's money). */
export function toMajorUnits(cents: number): number {
  return Math.round(cents) / 100;
}
