'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { FormAlert, FormField } from '@/components/forms/form-field';
import { useActionForm } from '@/components/forms/use-action-form';
import { useCart, useCartHydrated } from '@/lib/shop/client/cart-store';
import { placeOrder } from '@/lib/shop/actions/checkout';
import { emailField } from '@/lib/shop/domain/fields';
import { COUNTRIES } from '@/lib/shop/domain/pricing';
import { captureEmailTracked, identifyShopper, trackCheckoutStarted } from '@/lib/shop/client/tracking';
import { CheckoutSummary } from './checkout-summary';

type Account = { email: string; name: string | null };

export function CheckoutForm({ account }: { account?: Account }) {
  const router = useRouter();
  const hydrated = useCartHydrated();
  const lines = useCart((s) => s.lines);
  const [country, setCountry] = useState<string>(COUNTRIES[0].code);
  const [placedUrl, setPlacedUrl] = useState<string>();
  const lastCaptured = useRef<string>(undefined);
  const started = useRef(false);

  useEffect(() => {
    if (!hydrated || lines.length === 0 || started.current) return;
    started.current = true;
    trackCheckoutStarted(lines, country);
  }, [hydrated, lines, country]);

  const { formRef, formAction, pending, failure } = useActionForm(
    // Only SKUs and quantities matter to the server; it re-prices every line from the catalogue.
    (form) => placeOrder({ ...Object.fromEntries(form), lines: useCart.getState().lines }),
    (result) => {
      // The server identified the buyer and sent Order Completed; the browser SDK identifies too.
      identifyShopper(result);
      setPlacedUrl(result.url);
      useCart.getState().clear();
      router.push(result.url);
    },
  );

  // Leave the email with the shop as soon as it is typed, so an abandoned checkout can still be recovered.
  function captureCheckoutEmail(value: string) {
    const parsed = emailField.safeParse(value);
    if (account || !parsed.success || parsed.data === lastCaptured.current) return;
    lastCaptured.current = parsed.data;
    void captureEmailTracked(parsed.data, 'checkout').catch(() => undefined);
  }

  if (placedUrl) {
    return (
      <p role="status" className="py-16 text-center text-stone-700">
        Order placed. Taking you to your{' '}
        <Link href={placedUrl} className="text-brand underline">
          confirmation
        </Link>
        …
      </p>
    );
  }
  if (!hydrated) {
    return (
      <p role="status" aria-busy="true" className="py-16 text-center text-stone-500">
        Loading your cart…
      </p>
    );
  }
  if (lines.length === 0) {
    return (
      <div className="mx-auto max-w-md py-16 text-center">
        <h2 className="text-xl font-semibold">Your cart is empty</h2>
        <p className="mt-2 text-stone-600">Add a few favourites, then come back to check out.</p>
        <Link href="/" className="btn-primary mt-6">
          Shop skincare
        </Link>
      </div>
    );
  }

  return (
    <form
      ref={formRef}
      action={formAction}
      noValidate
      aria-busy={pending}
      className="grid gap-10 lg:grid-cols-[1fr_24rem]"
    >
      <div className="space-y-8">
        <FormAlert failure={failure} />
        <fieldset className="space-y-4">
          <legend className="mb-2 text-lg font-semibold">Contact</legend>
          <FormField
            name="email"
            label="Email"
            type="email"
            autoComplete="email"
            required
            readOnly={!!account}
            defaultValue={account?.email}
            hint={
              account ? 'Orders placed while signed in go to your account.' : 'We send your order confirmation here.'
            }
            failure={failure}
            onBlur={(e) => captureCheckoutEmail(e.currentTarget.value)}
          />
        </fieldset>
        <fieldset className="space-y-4">
          <legend className="mb-2 text-lg font-semibold">Shipping address</legend>
          <FormField
            name="name"
            label="Full name"
            autoComplete="name"
            required
            defaultValue={account?.name ?? undefined}
            failure={failure}
          />
          <FormField
            name="addressLine1"
            label="Street address"
            autoComplete="address-line1"
            required
            failure={failure}
          />
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField name="city" label="City" autoComplete="address-level2" required failure={failure} />
            <FormField name="postalCode" label="Postal code" autoComplete="postal-code" required failure={failure} />
          </div>
          <div>
            <label htmlFor="field-country" className="mb-1 block text-sm font-medium text-stone-800">
              Country
            </label>
            <select
              id="field-country"
              name="country"
              autoComplete="country"
              className="field"
              value={country}
              onChange={(e) => setCountry(e.target.value)}
              aria-invalid={failure?.fieldErrors?.country ? true : undefined}
              aria-describedby={failure?.fieldErrors?.country ? 'field-country-error' : undefined}
            >
              {COUNTRIES.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name}
                </option>
              ))}
            </select>
            {failure?.fieldErrors?.country && (
              <p id="field-country-error" className="mt-1 text-sm text-red-700">
                {failure.fieldErrors.country.join(' ')}
              </p>
            )}
          </div>
        </fieldset>
      </div>
      <CheckoutSummary lines={lines} country={country} pending={pending} />
    </form>
  );
}
