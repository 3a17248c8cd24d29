'use client';

import { useRef } from 'react';
import { EMAIL_INPUT, FormField } from '@/components/forms/form-field';
import { captureEmailTracked } from '@/lib/shop/client/tracking';
import type { ActionFailure } from '@/lib/shop/server/action';
import { isEmailAddress, normalizeEmail } from '@/lib/tracking/email';
import type { CheckoutAccount } from '@/lib/shop/domain/checkout-account';

/**
 * The checkout's Contact fieldset: the email the confirmation goes to. Signed in, the account's (read-only: orders
 * go to the account); a guest's is left with the shop as soon as it is typed, so an abandoned checkout can still be
 * recovered.
 */
export function ContactFieldset({
  account,
  draftEmail,
  failure,
}: {
  account?: CheckoutAccount;
  /** The email this tab typed before a reload, if any. */
  draftEmail: string | undefined;
  failure: ActionFailure | undefined;
}) {
  const lastCaptured = useRef<string>(undefined);

  // The shared email rule (no zod: it stays out of this page's first load) decides whether it looks like an
  // address; the server validates it with the checkout's schema.
  function captureCheckoutEmail(input: HTMLInputElement) {
    const email = normalizeEmail(input.value);
    if (account || !isEmailAddress(email) || email === lastCaptured.current) return;
    // A second address typed into this field corrects the first (a typo): the shop moves this browser's cart to it.
    const replaces = lastCaptured.current;
    lastCaptured.current = email;
    void captureEmailTracked(email, 'checkout', replaces).catch(() => undefined);
  }

  return (
    <fieldset className="space-y-4">
      <legend className="mb-2 text-lg font-semibold">Contact</legend>
      <FormField
        name="email"
        label="Email"
        {...EMAIL_INPUT}
        required
        readOnly={!!account}
        defaultValue={account?.email ?? draftEmail}
        hint={account ? 'Orders placed while signed in go to your account.' : 'We send your order confirmation here.'}
        failure={failure}
        onBlur={(e) => captureCheckoutEmail(e.currentTarget)}
      />
    </fieldset>
  );
}
