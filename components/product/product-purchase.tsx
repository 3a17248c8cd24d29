'use client';

import { useEffect, useRef, useState } from 'react';
import { AddToCartButton } from '@/components/cart/add-to-cart-button';
import { findVariant, type PurchasableProduct } from '@/lib/shop/domain/catalog/product-helpers';
import { QuantityInput } from './quantity-input';

/**
 * Size, quantity and add-to-cart. The chosen size lives in `?variant=<id>` (replaced, not pushed, so Back
 * leaves the product instead of stepping through sizes). The page is prerendered, so the URL's size is read in the
 * browser once mounted: the static HTML shows the first size, and Add to cart is disabled until the URL is read,
 * so a press before that (React replays a click made while the page hydrates) can never add the first size instead
 * of the one the link named. One component throughout (no Suspense fallback swapped for another tree), so a
 * quantity typed while the page was loading is kept.
 * `prices` (variant id → "$12.50") are formatted by the server page: formatting them here would build the browser's
 * first currency formatter while the page hydrates, tens of milliseconds of one long task (lib/shop/domain/money.ts).
 */
export function ProductPurchase({
  product,
  prices,
}: {
  product: PurchasableProduct;
  prices: Readonly<Record<string, string>>;
}) {
  const [variantId, setVariantId] = useState(product.variants[0]!.id);
  const [quantity, setQuantity] = useState(1);
  const [urlRead, setUrlRead] = useState(false);
  const variant = findVariant(product, variantId);

  // Once per product shown (the page keys this component by product), with the size the URL asked for; an add to
  // cart is tracked after it (its module may still be loading when the shopper presses).
  const viewed = useRef<Promise<unknown>>(null);
  useEffect(() => {
    if (viewed.current) return;
    const requested = findVariant(product, new URLSearchParams(window.location.search).get('variant') ?? undefined);
    setVariantId(requested.id);
    setUrlRead(true);
    // Its plan helpers and server mirror load here, after hydration, not in the page's first load: the view is dated
    // now, before an add to cart the shopper may make meanwhile.
    const viewedAt = Date.now();
    viewed.current = import('@/lib/shop/client/tracking')
      .then((m) => m.trackProductViewed(product, requested, viewedAt))
      .catch(() => undefined);
  }, [product]);

  function selectVariant(id: string) {
    setVariantId(id);
    const params = new URLSearchParams(window.location.search);
    params.set('variant', id);
    window.history.replaceState(null, '', `?${params}`);
  }

  return (
    <div className="flex flex-col gap-6">
      <p className="text-2xl font-medium tabular-nums" aria-live="polite">
        {prices[variant.id]}
      </p>
      {product.variants.length > 1 ? (
        <fieldset>
          <legend className="text-sm font-medium text-stone-700">Size</legend>
          <div className="mt-2 flex flex-wrap gap-2">
            {product.variants.map((v) => (
              <label
                key={v.id}
                className="relative cursor-pointer rounded-full border border-stone-300 bg-white px-4 py-2 text-sm has-[:checked]:border-stone-900 has-[:checked]:bg-stone-900 has-[:checked]:text-white has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand"
              >
                <input
                  type="radio"
                  name="variant"
                  value={v.id}
                  checked={v.id === variant.id}
                  onChange={() => selectVariant(v.id)}
                  className="absolute inset-0 cursor-pointer appearance-none rounded-full opacity-0"
                />
                {v.name} · {prices[v.id]}
              </label>
            ))}
          </div>
        </fieldset>
      ) : (
        <p className="text-sm text-stone-600">Size: {variant.name}</p>
      )}
      <QuantityInput value={quantity} onChange={setQuantity} />
      <AddToCartButton
        key={variant.id}
        lines={[{ sku: variant.sku, variantId: variant.id, quantity }]}
        className="btn-primary w-full sm:w-auto"
        disabled={!urlRead}
        trackAfter={viewed}
      />
    </div>
  );
}
