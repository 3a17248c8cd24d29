'use client';

import { useEffect, useState } from 'react';
import type { CartLine } from '@/lib/shop/client/cart-store';
import { quoteCheckout } from '@/lib/shop/actions/checkout';

export type QuoteResult = Awaited<ReturnType<typeof quoteCheckout>>;

const requestKey = (lines: readonly CartLine[], country: string) =>
  JSON.stringify([country, lines.map((l) => [l.sku, l.quantity])]);

/**
 * The server's price for the cart shipped to `country`, refreshed when either changes. Display only:
 * placing the order prices everything again. `undefined` while a quote for the current cart is on its way.
 */
export function useCheckoutQuote(lines: readonly CartLine[], country: string): QuoteResult | undefined {
  const [settled, setSettled] = useState<{ key: string; result: QuoteResult }>();
  const key = requestKey(lines, country);

  useEffect(() => {
    if (lines.length === 0) return;
    let live = true;
    const key = requestKey(lines, country);
    quoteCheckout({ lines: lines.map(({ sku, quantity }) => ({ sku, quantity })), country }).then(
      (result) => live && setSettled({ key, result }),
      () =>
        live &&
        setSettled({
          key,
          result: { ok: false, error: 'We could not calculate your total. Check your connection and try again.' },
        }),
    );
    return () => {
      live = false;
    };
  }, [lines, country]);

  return settled?.key === key ? settled.result : undefined;
}
