'use client';

import { useRef } from 'react';
import { OrderSummary } from './order-summary';
import type { QuoteResult } from './use-checkout-quote';

/** The right-hand column: the server's quote for the chosen country (what the order will cost), and the button. */
export function CheckoutSummary({
  quote,
  pending,
  onRetry,
}: {
  quote: QuoteResult | undefined;
  pending: boolean;
  /** Asks for the quote again: with no total on screen, Place order stays disabled, so this is the way on. */
  onRetry(): void;
}) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  function retry() {
    // The button goes away with the failure: focus stays in the summary, whose live region reads the new total.
    headingRef.current?.focus();
    onRetry();
  }
  return (
    <section
      aria-labelledby="checkout-summary-heading"
      className="h-fit space-y-4 rounded-xl border border-stone-200 bg-white p-6"
    >
      <h2
        id="checkout-summary-heading"
        ref={headingRef}
        tabIndex={-1}
        className="text-lg font-semibold focus:outline-none"
      >
        Order summary
      </h2>
      <div aria-live="polite" aria-busy={!quote}>
        {!quote && <p className="text-sm text-stone-500">Calculating your total…</p>}
        {quote && !quote.ok && (
          <>
            <p role="alert" className="text-sm text-red-700">
              {quote.error}
            </p>
            <button type="button" onClick={retry} className="btn-secondary mt-3 w-full">
              Calculate the total again
            </button>
          </>
        )}
        {quote?.ok && <OrderSummary lines={quote.quote.lines} totals={quote.quote} />}
      </div>
      {/* Disabled until the total is on screen: an order is only ever placed at a total the shopper has seen. */}
      <button type="submit" className="btn-primary w-full" disabled={pending || !quote?.ok}>
        {pending ? 'Placing your order…' : 'Place order'}
      </button>
      <p className="text-xs text-stone-500">Demo shop: no payment is taken.</p>
    </section>
  );
}
