import { findVariantBySku } from '@/lib/shop/domain/catalog';
import { cartProps, productViewedProps } from '@/lib/shop/domain/tracking-items';
import { SCHEMA_VERSION } from '@/lib/tracking/plan';

/**
 * Plan-valid properties for specs that post events to the pipeline themselves (not through the shop).
 * Every event under a planned name must pass the plan: zz-plan-quality.spec.ts checks the whole suite's.
 */
const sample = findVariantBySku('GL-SER-NIA-30')!;

export function planProperties(
  event: 'Product Viewed' | 'Added to Cart' | 'Checkout Started' | 'Order Completed',
  origin: string,
): Record<string, unknown> {
  const lines = [{ sku: sample.variant.sku, quantity: 1 }];
  if (event === 'Order Completed') {
    const { items, cart_value, currency } = cartProps(lines, origin);
    const order = { order_id: 'ord_sample', items, subtotal: cart_value, shipping: 0, tax: 0, total: cart_value };
    return { ...order, currency, schema_version: SCHEMA_VERSION };
  }
  const props =
    event === 'Product Viewed'
      ? productViewedProps(sample.product, sample.variant, origin)
      : event === 'Added to Cart'
        ? {
            added: { sku: sample.variant.sku, variant_id: sample.variant.id, quantity: 1 },
            ...cartProps(lines, origin),
          }
        : cartProps(lines, origin);
  return { ...props, schema_version: SCHEMA_VERSION };
}
