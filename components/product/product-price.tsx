import type { Product } from '@/lib/shop/domain/catalog';
import { startingPriceCents } from '@/lib/shop/domain/catalog/product-helpers';
import { formatMoney } from '@/lib/shop/domain/money';

/** "From $14.00" when sizes differ in price, otherwise the one price. */
export function ProductPrice({ product }: { product: Product }) {
  const from = startingPriceCents(product);
  const varies = product.variants.some((v) => v.priceCents !== from);
  return (
    <span>
      {varies && 'From '}
      {formatMoney(from)}
    </span>
  );
}
