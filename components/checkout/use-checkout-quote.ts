'use client';

import { useCallback, useEffect, useState } from 'react';
import { quoteCheckout } from '@/lib/shop/actions/checkout';
import type { CartLineInput, Quote } from '@/lib/shop/domain/pricing';

export type QuoteResult = Awaited<ReturnType<typeof quoteCheckout>>;

/** The code the shopper applied and the email typed when they did (for the first-order check); '' for none. */
export type AppliedCode = { code: string; email: string };
export const NO_CODE: AppliedCode = { code: '', email: '' };

const requestKey = (lines: readonly CartLineInput[], country: string, attempt: number, applied: AppliedCode) =>
  JSON.stringify([country, attempt, applied.code, applied.email, lines.map((l) => [l.sku, l.quantity])]);

/**
 * The server's price for the cart shipped to `country`, refreshed when either changes. What it returns is what
 * the summary shows, and what the form sends back as "the total the shopper saw" when the order is placed.
 * `undefined` while a quote for the current cart is on its way. `show` puts a quote the server returned
 * elsewhere (placing an order found the total had changed) on display for the cart and country it was for; `retry`
 * asks again for the same cart and country (the last request failed). With a code applied, the server answers
 * with the discounted total, or the total without it and `codeError`.
 */
export function useCheckoutQuote(lines: readonly CartLineInput[], country: string, applied: AppliedCode = NO_CODE) {
  const [settled, setSettled] = useState<{ key: string; result: QuoteResult }>();
  // Bumped by `retry`: a quote lost on the network is asked again without the shopper changing the cart or country.
  const [attempt, setAttempt] = useState(0);
  const key = requestKey(lines, country, attempt, applied);

  useEffect(() => {
    if (lines.length === 0) return;
    let live = true;
    const key = requestKey(lines, country, attempt, applied);
    const code = applied.code ? { discountCode: applied.code, email: applied.email } : {};
    quoteCheckout({ lines: lines.map(({ sku, quantity }) => ({ sku, quantity })), country, ...code }).then(
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
  }, [lines, country, attempt, applied]);

  const show = useCallback(
    (forLines: readonly CartLineInput[], forCountry: string, quote: Quote, forCode: AppliedCode) =>
      setSettled({ key: requestKey(forLines, forCountry, attempt, forCode), result: { ok: true, quote } }),
    [attempt],
  );
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  return { quote: settled?.key === key ? settled.result : undefined, show, retry };
}
