'use client';

import { useSearchParams } from 'next/navigation';
import { Suspense, useEffect, useRef, useState } from 'react';
import { AddToCartButton } from '@/components/cart/add-to-cart-button';
import { findVariant, type Product } from '@/lib/shop/domain/catalog';
import { formatMoney } from '@/lib/shop/domain/pricing';
import { trackProductViewed } from '@/lib/shop/client/tracking';
import { QuantityInput } from './quantity-input';

/**
 * Size, quantity and add-to-cart. The chosen size lives in `?variant=<id>` (replaced, not pushed, so Back
 * leaves the product instead of stepping through sizes). The page is prerendered, so the URL's size is read in the
 * browser: the static HTML shows the first size, and the browser renders the requested one.
 */
export function ProductPurchase({ product }: { product: Product }) {
  const first = product.variants[0]!.id;
  return (
    <Suspense fallback={<VariantPurchase product={product} initialVariantId={first} />}>
      <PurchaseFromUrl product={product} />
    </Suspense>
  );
}

function PurchaseFromUrl({ product }: { product: Product }) {
  // The URL's size when the product was opened; choosing a size rewrites the URL but is this component's state.
  const requested = useSearchParams().get('variant') ?? undefined;
  const [initial] = useState(() => findVariant(product, requested).id);
  return <VariantPurchase product={product} initialVariantId={initial} />;
}

function VariantPurchase({ product, initialVariantId }: { product: Product; initialVariantId: string }) {
  const [variantId, setVariantId] = useState(initialVariantId);
  const [quantity, setQuantity] = useState(1);
  const variant = findVariant(product, variantId);

  // Once per product shown (this component is keyed by product and the variant in the URL).
  const viewed = useRef(false);
  useEffect(() => {
    if (viewed.current) return;
    viewed.current = true;
    trackProductViewed(product, variant);
  }, [product, variant]);

  function selectVariant(id: string) {
    setVariantId(id);
    const params = new URLSearchParams(window.location.search);
    params.set('variant', id);
    window.history.replaceState(null, '', `?${params}`);
  }

  return (
    <div className="flex flex-col gap-6">
      <p className="text-2xl font-medium tabular-nums" aria-live="polite">
        {formatMoney(variant.priceCents)}
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
                {v.name} · {formatMoney(v.priceCents)}
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
      />
    </div>
  );
}
