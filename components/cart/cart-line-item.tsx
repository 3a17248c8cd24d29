'use client';

import Image from 'next/image';
import Link from 'next/link';
import { QuantityInput } from '@/components/product/quantity-input';
import { formatMoney, type PricedLine } from '@/lib/shop/domain/pricing';
import { updateCart } from '@/lib/shop/client/cart';

/** One cart row. Every quantity change and removal goes through `changeQuantity`. */
export function CartLineItem({ line }: { line: PricedLine }) {
  const itemName = `${line.name}, ${line.variantName}`;

  function changeQuantity(quantity: number) {
    if (quantity === line.quantity) return;
    // Lowered or removed → Removed from Cart; raised → Added to Cart (with its server mirror).
    updateCart(line.sku, line.variantId, (cart) => cart.setQuantity(line.sku, quantity));
  }

  return (
    <li className="flex gap-4 py-6">
      <Link
        href={`/products/${line.handle}?variant=${line.variantId}`}
        className="shrink-0 overflow-hidden rounded-xl bg-white"
      >
        <Image src={line.image} alt="" width={96} height={96} className="h-24 w-24" />
      </Link>
      <div className="flex flex-1 flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div>
          <h3 className="font-medium">
            <Link href={`/products/${line.handle}?variant=${line.variantId}`} className="hover:underline">
              {line.name}
            </Link>
          </h3>
          <p className="text-sm text-stone-500">
            {line.variantName} · {formatMoney(line.unitPriceCents)} each
          </p>
          <button
            type="button"
            onClick={() => changeQuantity(0)}
            className="mt-2 text-sm text-stone-600 underline underline-offset-2 hover:text-red-700"
          >
            Remove <span className="sr-only">{itemName}</span>
          </button>
        </div>
        <div className="flex items-center gap-6 sm:flex-col sm:items-end sm:gap-2">
          <QuantityInput value={line.quantity} onChange={changeQuantity} itemName={itemName} hideLabel />
          <p className="font-medium tabular-nums">
            <span className="sr-only">Line total </span>
            {formatMoney(line.lineTotalCents)}
          </p>
        </div>
      </div>
    </li>
  );
}
