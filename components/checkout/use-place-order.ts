'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { useActionForm } from '@/components/forms/use-action-form';
import { placeOrder } from '@/lib/shop/actions/checkout';
import { followCartAfterOrder } from '@/lib/shop/client/cart';
import type { CartLine } from '@/lib/shop/client/cart-store';
import { checkoutAttemptKey, endCheckoutAttempt, removeBoughtFromCart } from '@/lib/shop/client/checkout-attempt';
import { identifyShopper } from '@/lib/shop/client/shopper';
import { accountShown, type CheckoutAccount } from '@/lib/shop/domain/checkout-account';
import type { Quote } from '@/lib/shop/domain/pricing';
import {
  CODE_FOR_NEW_EMAIL,
  CODE_NOW_APPLIED,
  CODE_NOW_REMOVED,
  normalizeCode,
  SPENT_CODE,
  unappliedCode,
} from '@/lib/shop/domain/welcome-code';
import { normalizeEmail } from '@/lib/tracking/email';
import type { EarlierOrder } from './earlier-order-notice';
import { NO_CODE, type AppliedCode, type QuoteResult, type useCheckoutQuote } from './use-checkout-quote';

// Honest whichever way the request was lost (before the shop got it, or its answer on the way back).
const NETWORK_ERROR =
  'We could not reach the shop, so your order is not confirmed. Check your connection, then press Place order ' +
  'again: retrying is safe and never creates a second order.';

/** What the summary showed, sent with the order: the server places it only at this total. */
const shownQuote = (country: string, quote: Quote) => ({
  country,
  totalCents: quote.totalCents,
  lines: quote.lines.map(({ sku, quantity, unitPriceCents }) => ({ sku, quantity, unitPriceCents })),
});

/**
 * What pressing Place order does (useActionForm's form props, pending state and failure): a code typed but not
 * applied is applied first, then the order is sent at the total shown, for the account shown, under this attempt's
 * key; the server's answers are acted on (code refused, total changed, already placed, placed).
 */
export function usePlaceOrder({
  account,
  lines,
  country,
  quote,
  showQuote,
  applied,
  setApplied,
  onPlaced,
  onEarlierOrder,
}: {
  account: CheckoutAccount | undefined;
  lines: CartLine[];
  country: string;
  /** The quote on screen (useCheckoutQuote), and its `show`. */
  quote: QuoteResult | undefined;
  showQuote: ReturnType<typeof useCheckoutQuote>['show'];
  applied: AppliedCode;
  setApplied(code: AppliedCode): void;
  onPlaced(url: string): void;
  onEarlierOrder(order: EarlierOrder): void;
}) {
  const router = useRouter();
  // One key per checkout attempt, made when the checkout opens (kept by this tab across a reload): a retry or a
  // double click sends the same key, and the server never places a second order for it. A new one only once the
  // server says this attempt already placed an order for another cart (see below), or once it is confirmed.
  const [idempotencyKey, setIdempotencyKey] = useState(() => checkoutAttemptKey());
  // The code Place order last refused (it stays in the field beside its reason): pressing again orders without it.
  const refusedCode = useRef<string>(undefined);

  return useActionForm(
    async (form) => {
      if (!quote?.ok) return { ok: false as const, error: 'Wait for your total to be shown, then place your order.' };
      const email = String(form.get('email') ?? '');
      const typed = unappliedCode(String(form.get('discountCode') ?? ''), applied.code);
      if (typed !== undefined && typed !== refusedCode.current) {
        setApplied(typed ? { code: typed, email } : NO_CODE);
        return { ok: false as const, error: typed ? CODE_NOW_APPLIED : CODE_NOW_REMOVED };
      }
      // Refused as spent for the email typed when it was applied: the code is for a first order, so another email
      // is asked about again rather than ordered at the total without it. Signed in, the code is checked for the
      // account, whatever email it was applied with (a guest's, before signing in elsewhere): nothing to ask again.
      const spentForAnother =
        !account &&
        'codeError' in quote &&
        quote.codeError === SPENT_CODE &&
        normalizeEmail(email) !== normalizeEmail(applied.email);
      if (typed === undefined && spentForAnother) {
        setApplied({ code: applied.code, email });
        return { ok: false as const, error: CODE_FOR_NEW_EMAIL };
      }
      // Only SKUs and quantities matter to the server; it re-prices every line from the catalogue.
      const sent = lines.map(({ sku, quantity }) => ({ sku, quantity }));
      const result = await placeOrder({
        ...Object.fromEntries(form),
        lines: sent,
        quote: shownQuote(country, quote.quote),
        // The code the shown total includes, not whatever is typed but not applied: the total is the one seen.
        discountCode: quote.quote.discountCode ?? '',
        idempotencyKey,
        // The account this page shows: nothing is placed if the shopper is no longer it (useAccountChange).
        account: accountShown(account?.id),
      });
      // The code no longer applies (this email has ordered): drop it; the total without it is shown below.
      const forCode = !result.ok && 'codeRefused' in result ? NO_CODE : applied;
      if (forCode !== applied) {
        refusedCode.current = normalizeCode(applied.code);
        setApplied(forCode);
      }
      // The total changed (nothing was placed): show the server's new one, for the shopper to confirm.
      if (!result.ok && 'quoteChanged' in result)
        showQuote(sent, result.quoteChanged.country, result.quoteChanged.quote, forCode);
      // This tab's attempt placed an order for an account not signed in now: the next press is a new attempt, for
      // the account the page is shown again for (useAccountChange).
      if (!result.ok && 'newAttempt' in result) setIdempotencyKey(checkoutAttemptKey({ fresh: true }));
      // This attempt already placed an order, for the cart as it was (its answer was lost): what it bought leaves the
      // cart, as after any order, or the next press would charge it again; the summary then re-quotes what is left
      // (this form goes when nothing is). The cart first, the key after: were the tab to close in between, the next
      // press would get the same answer again, never a second order of those items.
      if (!result.ok && 'alreadyPlaced' in result) {
        const { orderNumber, url, bought } = result.alreadyPlaced;
        onEarlierOrder({ orderNumber, url, message: result.error });
        // Its identify emptied the `cart` attribute back then; the cart was mirrored since, so it follows even empty.
        followCartAfterOrder(await removeBoughtFromCart(bought), { afterIdentify: false });
        setIdempotencyKey(checkoutAttemptKey({ fresh: true }));
      }
      return result;
    },
    (result) => {
      // The server sent Order Completed and, when this browser is the buyer, identified; the SDK identifies too.
      if (result.identity) identifyShopper(result.identity);
      onPlaced(result.url);
      // Kept by the tab: a reload before the confirmation page shows still names the order (CheckoutForm).
      endCheckoutAttempt({ orderNumber: result.orderNumber, url: result.url, account: accountShown(account?.id) });
      // Only what this order bought leaves the cart: lines added in another tab since the total was shown stay, and
      // stay the shopper's `cart` attribute. Without an identify (the buyer is a customer this browser is not), the
      // shopper the browser is known as still has what was just bought as their `cart`: it follows, even empty.
      void removeBoughtFromCart(result.bought).then((kept) =>
        followCartAfterOrder(kept, { afterIdentify: result.identity != null }),
      );
      router.push(result.url);
    },
    { networkError: NETWORK_ERROR },
  );
}
