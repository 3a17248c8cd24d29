'use client';

import { Link } from '@/components/layout/link';
import { QuantityInput } from '@/components/product/quantity-input';
import { itemName } from '@/lib/shop/domain/cart-lines';
import type { PricedLine } from '@/lib/shop/domain/line-pricing';
import { formatMoney } from '@/lib/shop/domain/money';
import { useEffect } from 'react';
import { settleTypedQuantity, updateCart } from '@/lib/shop/client/cart';
import { ProductImage } from '@/components/product/product-image';

/** One cart row. Quantity changes go through `updateCart`; removal through the cart, which moves focus on. */
export function CartLineItem({ line, onRemove }: { line: PricedLine; onRemove(sku: string): void }) {
  const name = itemName(line);
  const href = `/products/${line.handle}?variant=${line.variantId}`;

  function changeQuantity(quantity: number, typed: boolean) {
    if (quantity === line.quantity) return;
    // Lowered → Removed from Cart; raised → Added to Cart (with its server mirror). Typed: once the field is left.
    updateCart((cart) => cart.setQuantity(line.sku, quantity), typed ? line.sku : undefined);
  }
  // A row that goes away (the shopper leaves the cart) with a quantity still being typed: tracked then.
  useEffect(() => () => settleTypedQuantity(line.sku), [line.sku]);

  return (
    <li className="flex gap-4 py-6" data-cart-line={line.sku}>
      {/* The name below is the link for keyboards and screen readers; the picture is a second target for the mouse. */}
      <Link
        href={href}
        tabIndex={-1}
        aria-hidden="true"
        className="shrink-0 self-start overflow-hidden rounded-xl bg-white"
      >
        <ProductImage src={line.image} alt="" width={96} height={96} className="h-24 w-24" />
      </Link>
      <div className="flex min-w-0 flex-1 flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div>
          <h3 className="font-medium">
            <Link href={href} className="hover:underline">
              {line.name}
            </Link>
          </h3>
          <p className="text-sm text-stone-600">
            {line.variantName} · {formatMoney(line.unitPriceCents)} each
          </p>
          <button
            type="button"
            data-remove-line
            onClick={() => onRemove(line.sku)}
            className="mt-2 text-sm text-stone-600 underline underline-offset-2 hover:text-red-700"
          >
            Remove <span className="sr-only">{name}</span>
          </button>
        </div>
        {/* Wraps: at 320 px a stepper and a line total of 99 ($6,336.00) are wider than the row beside the picture. */}
        <div className="flex flex-wrap items-center gap-x-6 gap-y-1 sm:flex-col sm:flex-nowrap sm:items-end sm:gap-2">
          <QuantityInput
            value={line.quantity}
            onChange={changeQuantity}
            onTypingDone={() => settleTypedQuantity(line.sku)}
            itemName={name}
            hideLabel
          />
          <p className="font-medium tabular-nums">
            <span className="sr-only">Line total </span>
            {formatMoney(line.lineTotalCents)}
          </p>
        </div>
      </div>
    </li>
  );
}
