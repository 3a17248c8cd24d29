'use client';

import { useEffect, useRef, useState } from 'react';
import { FormAlert } from '@/components/forms/form-field';
import type { CartLine } from '@/lib/shop/client/cart-store';
import { checkoutDraft, saveCheckoutDraft } from '@/lib/shop/client/checkout-attempt';
import { trackCheckoutStarted } from '@/lib/shop/client/tracking';
import type { CheckoutAccount } from '@/lib/shop/domain/checkout-account';
import { CheckoutSummary } from './checkout-summary';
import { ContactFieldset } from './contact-fieldset';
import { DiscountCodeField } from './discount-code-field';
import { alreadyPlacedIn, type EarlierOrder, ViewOrderLink } from './earlier-order-notice';
import { draftCountry, ShippingAddressFieldset } from './shipping-address-fieldset';
import { useAccountChange } from './use-account-change';
import { NO_CODE, useCheckoutQuote } from './use-checkout-quote';
import { usePlaceOrder } from './use-place-order';

// CheckoutForm loads the notice from this module (lazily, with the form): the two share one chunk.
export { type EarlierOrder, EarlierOrderNotice } from './earlier-order-notice';

/**
 * The checkout form for a cart with lines: contact, shipping address, and the summary with the server's quote.
 * Loaded by CheckoutForm once the saved cart is read and has lines (it is never in the page's HTML).
 */
export function PlaceOrderForm({
  account,
  lines,
  onPlaced,
  onEarlierOrder,
}: {
  account?: CheckoutAccount;
  lines: CartLine[];
  onPlaced(url: string): void;
  onEarlierOrder(order: EarlierOrder): void;
}) {
  // What this tab typed before a reload (this form is only ever rendered in the browser: no hydration to match).
  const [draft] = useState(checkoutDraft);
  const [country, setCountry] = useState<string>(() => draftCountry(draft));
  const [applied, setApplied] = useState(NO_CODE);
  const { quote, show: showQuote, retry: retryQuote } = useCheckoutQuote(lines, country, applied);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    trackCheckoutStarted(lines, country);
  }, [lines, country]);

  const { formProps, pending, failure, alertText } = usePlaceOrder({
    account,
    lines,
    country,
    quote,
    showQuote,
    applied,
    setApplied,
    onPlaced,
    onEarlierOrder,
  });

  useAccountChange(account, failure, formProps.ref, retryQuote);

  const alreadyPlaced = alreadyPlacedIn(failure);
  // Why the code is not in the total: the quote's answer for the applied code, else Place order's refusal.
  const codeError =
    quote?.ok && 'codeError' in quote
      ? quote.codeError
      : applied.code
        ? undefined
        : failure?.fieldErrors?.discountCode?.[0];

  return (
    <form
      {...formProps}
      noValidate
      aria-busy={pending}
      // Every keystroke and choice, so a reload (or a crash) keeps the address typed so far in this tab.
      onChange={(e) => saveCheckoutDraft(e.currentTarget)}
      className="grid gap-10 lg:grid-cols-[1fr_24rem]"
    >
      <div className="space-y-8">
        <FormAlert message={alertText}>{alreadyPlaced && <ViewOrderLink order={alreadyPlaced} />}</FormAlert>
        <ContactFieldset account={account} draftEmail={draft.email} failure={failure} />
        <ShippingAddressFieldset
          draft={draft}
          accountName={account?.name}
          country={country}
          onCountryChange={setCountry}
          failure={failure}
        />
        <DiscountCodeField
          applied={quote?.ok ? quote.quote.discountCode : undefined}
          error={codeError}
          onApply={(code, email) => setApplied(code ? { code, email } : NO_CODE)}
        />
      </div>
      <CheckoutSummary quote={quote} pending={pending} onRetry={retryQuote} />
    </form>
  );
}
