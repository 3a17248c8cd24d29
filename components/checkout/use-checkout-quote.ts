'use client';

import { useCallback, useEffect, useState } from 'react';
import { quoteCheckout } from '@/lib/shop/actions/checkout';
import type { CartLineInput, Quote } from '@/lib/shop/domain/pricing';

export type QuoteResult = Awaited<ReturnType<typeof quoteCheckout>>;

const requestKey = (lines: readonly CartLineInput[], country: string) =>
  JSON.stringify([country, lines.map((l) => [l.sku, l.quantity])]);

/**
 * The server's price for the cart shipped to `country`, refreshed when either changes. What it returns is what
 * the summary shows, and what the form sends back as "the total the shopper saw" when the order is placed.
 * `undefined` while a quote for the current cart is on its way. `show` puts a quote the server returned
 * elsewhere (placing an order found the total had changed) on display for the cart and country it was for.
 */
export function useCheckoutQuote(lines: readonly CartLineInput[], country: string) {
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

  const show = useCallback(
    (forLines: readonly CartLineInput[], forCountry: string, quote: Quote) =>
      setSettled({ key: requestKey(forLines, forCountry), result: { ok: true, quote } }),
    [],
  );

  return { quote: settled?.key === key ? settled.result : undefined, show };
}
