'use client';

import type { CartLine } from '@/lib/shop/client/cart-store';
import { OrderSummary } from './order-summary';
import { useCheckoutQuote } from './use-checkout-quote';

/** The right-hand column: server-priced lines and totals for the chosen country, and the submit button. */
export function CheckoutSummary({ lines, country, pending }: { lines: CartLine[]; country: string; pending: boolean }) {
  const quote = useCheckoutQuote(lines, country);
  return (
    <section
      aria-labelledby="checkout-summary-heading"
      className="h-fit space-y-4 rounded-xl border border-stone-200 bg-white p-6"
    >
      <h2 id="checkout-summary-heading" className="text-lg font-semibold">
        Order summary
      </h2>
      <div aria-live="polite" aria-busy={!quote}>
        {!quote && <p className="text-sm text-stone-500">Calculating your total…</p>}
        {quote && !quote.ok && (
          <p role="alert" className="text-sm text-red-700">
            {quote.error}
          </p>
        )}
        {quote?.ok && <OrderSummary lines={quote.quote.lines} totals={quote.quote} />}
      </div>
      <button type="submit" className="btn-primary w-full" disabled={pending || !quote?.ok}>
        {pending ? 'Placing your order…' : 'Place order'}
      </button>
      <p className="text-xs text-stone-500">Demo shop: no payment is taken.</p>
    </section>
  );
}
