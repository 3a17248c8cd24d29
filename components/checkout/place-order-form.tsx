'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { EMAIL_INPUT, FormAlert, FormField, SelectField } from '@/components/forms/form-field';
import { useActionForm } from '@/components/forms/use-action-form';
import { placeOrder } from '@/lib/shop/actions/checkout';
import { followCartAfterOrder } from '@/lib/shop/client/cart';
import type { CartLine } from '@/lib/shop/client/cart-store';
import {
  checkoutAttemptKey,
  checkoutDraft,
  endCheckoutAttempt,
  removeBoughtFromCart,
  saveCheckoutDraft,
} from '@/lib/shop/client/checkout-attempt';
import { identifyShopper } from '@/lib/shop/client/shopper';
import { captureEmailTracked, trackCheckoutStarted } from '@/lib/shop/client/tracking';
import { accountShown } from '@/lib/shop/domain/checkout-account';
import { COUNTRIES } from '@/lib/shop/domain/countries';
import type { Quote } from '@/lib/shop/domain/pricing';
import { regionsFor } from '@/lib/shop/domain/regions';
import {
  CODE_FOR_NEW_EMAIL,
  CODE_NOW_APPLIED,
  CODE_NOW_REMOVED,
  normalizeCode,
  SPENT_CODE,
  unappliedCode,
} from '@/lib/shop/domain/welcome-code';
import { isEmailAddress, normalizeEmail } from '@/lib/tracking/email';
import { CheckoutSummary } from './checkout-summary';
import { DiscountCodeField } from './discount-code-field';
import { useAccountChange } from './use-account-change';
import { NO_CODE, useCheckoutQuote } from './use-checkout-quote';

export type Account = { id: string; email: string; name: string | null };
/** The order this checkout attempt already placed, for another cart, country or address than the one now sent. */
type AlreadyPlaced = Extract<Awaited<ReturnType<typeof placeOrder>>, { alreadyPlaced: object }>['alreadyPlaced'];
/** That order and the sentence about it, for the checkout to show once its items left the cart (maybe all of it). */
export type EarlierOrder = Pick<AlreadyPlaced, 'orderNumber' | 'url'> & { message: string };

const COUNTRY_OPTIONS = COUNTRIES.map((c) => ({ value: c.code, label: c.name }));

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
 * The checkout form for a cart with lines: contact, shipping address, and the summary with the server's quote.
 * Loaded by CheckoutForm once the saved cart is read and has lines (it is never in the page's HTML).
 */
export function PlaceOrderForm({
  account,
  lines,
  onPlaced,
  onEarlierOrder,
}: {
  account?: Account;
  lines: CartLine[];
  onPlaced(url: string): void;
  onEarlierOrder(order: EarlierOrder): void;
}) {
  const router = useRouter();
  // What this tab typed before a reload (this form is only ever rendered in the browser: no hydration to match).
  const [draft] = useState(checkoutDraft);
  const [country, setCountry] = useState<string>(() =>
    COUNTRIES.some((c) => c.code === draft.country) ? draft.country! : COUNTRIES[0].code,
  );
  const [region, setRegion] = useState(draft.region ?? '');
  // One key per checkout attempt, made when the checkout opens (kept by this tab across a reload): a retry or a
  // double click sends the same key, and the server never places a second order for it. A new one only once the
  // server says this attempt already placed an order for another cart (see below), or once it is confirmed.
  const [idempotencyKey, setIdempotencyKey] = useState(() => checkoutAttemptKey());
  const [applied, setApplied] = useState(NO_CODE);
  const { quote, show: showQuote, retry: retryQuote } = useCheckoutQuote(lines, country, applied);
  const regionSet = regionsFor(country);
  const lastCaptured = useRef<string>(undefined);
  // The code Place order last refused (it stays in the field beside its reason): pressing again orders without it.
  const refusedCode = useRef<string>(undefined);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    trackCheckoutStarted(lines, country);
  }, [lines, country]);

  const { formProps, pending, failure, alertText } = useActionForm(
    async (form) => {
      if (!quote?.ok) return { ok: false as const, error: 'Wait for your total to be shown, then place your order.' };
      const email = String(form.get('email') ?? '');
      const typed = unappliedCode(String(form.get('discountCode') ?? ''), applied.code);
      if (typed !== undefined && typed !== refusedCode.current) {
        setApplied(typed ? { code: typed, email } : NO_CODE);
        return { ok: false as const, error: typed ? CODE_NOW_APPLIED : CODE_NOW_REMOVED };
      }
      // Refused as spent for the email typed when it was applied: the code is for a first order, so another email
      // is asked about again rather than ordered at the total without it.
      const spentForAnother =
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
      endCheckoutAttempt();
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

  useAccountChange(account, failure, formProps.ref, retryQuote);

  // useActionForm types every failure as ActionFailure (the action's richer ones are subtypes of it).
  const alreadyPlaced = failure && 'alreadyPlaced' in failure ? (failure.alreadyPlaced as AlreadyPlaced) : undefined;
  // Why the code is not in the total: the quote's answer for the applied code, else Place order's refusal.
  const codeError =
    quote?.ok && 'codeError' in quote
      ? quote.codeError
      : applied.code
        ? undefined
        : failure?.fieldErrors?.discountCode?.[0];

  // Leave the email with the shop as soon as it is typed, so an abandoned checkout can still be recovered. The
  // shared email rule (no zod: it stays out of this page's first load) decides whether it looks like an address;
  // the server validates it with the checkout's schema.
  function captureCheckoutEmail(input: HTMLInputElement) {
    const email = normalizeEmail(input.value);
    if (account || !isEmailAddress(email) || email === lastCaptured.current) return;
    // A second address typed into this field corrects the first (a typo): the shop moves this browser's cart to it.
    const replaces = lastCaptured.current;
    lastCaptured.current = email;
    void captureEmailTracked(email, 'checkout', replaces).catch(() => undefined);
  }

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
        <FormAlert message={alertText}>
          {alreadyPlaced && (
            <a href={alreadyPlaced.url} className="font-medium underline">
              View order {alreadyPlaced.orderNumber}
            </a>
          )}
        </FormAlert>
        <fieldset className="space-y-4">
          <legend className="mb-2 text-lg font-semibold">Contact</legend>
          <FormField
            name="email"
            label="Email"
            {...EMAIL_INPUT}
            required
            readOnly={!!account}
            defaultValue={account?.email ?? draft.email}
            hint={
              account ? 'Orders placed while signed in go to your account.' : 'We send your order confirmation here.'
            }
            failure={failure}
            onBlur={(e) => captureCheckoutEmail(e.currentTarget)}
          />
        </fieldset>
        <fieldset className="space-y-4">
          <legend className="mb-2 text-lg font-semibold">Shipping address</legend>
          <FormField
            name="name"
            label="Full name"
            autoComplete="name"
            required
            defaultValue={draft.name ?? account?.name ?? undefined}
            failure={failure}
          />
          <FormField
            name="addressLine1"
            label="Street address"
            autoComplete="address-line1"
            required
            defaultValue={draft.addressLine1}
            failure={failure}
          />
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField
              name="city"
              label="City"
              autoComplete="address-level2"
              required
              defaultValue={draft.city}
              failure={failure}
            />
            <FormField
              name="postalCode"
              label="Postal code"
              autoComplete="postal-code"
              required
              defaultValue={draft.postalCode}
              failure={failure}
            />
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField
              name="country"
              label="Country"
              autoComplete="country"
              options={COUNTRY_OPTIONS}
              value={country}
              onChange={(e) => {
                setCountry(e.target.value);
                setRegion('');
              }}
              failure={failure}
            />
            {/* Only where addresses need one (US, CA, AU); elsewhere the field is neither shown nor sent. */}
            {regionSet && (
              <SelectField
                name="region"
                label={regionSet.label}
                autoComplete="address-level1"
                required
                placeholder={`Choose a ${regionSet.label.toLowerCase()}`}
                options={regionSet.regions.map((r) => ({ value: r.code, label: r.name }))}
                value={region}
                onChange={(e) => setRegion(e.target.value)}
                failure={failure}
              />
            )}
          </div>
        </fieldset>
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

/**
 * The order this checkout had already placed, for the empty checkout its items left (CheckoutForm): focused, as the
 * Place order button that had focus went with this form.
 */
export function EarlierOrderNotice({ order }: { order: EarlierOrder }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <p ref={ref} role="status" tabIndex={-1} className="mb-8 rounded-lg bg-stone-100 px-3 py-2 text-sm text-stone-800">
      {order.message}{' '}
      <a href={order.url} className="font-medium underline">
        View order {order.orderNumber}
      </a>
    </p>
  );
}
