'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, type RefObject } from 'react';
import { saveCheckoutDraft } from '@/lib/shop/client/checkout-attempt';
import { accountShown, type CheckoutAccount } from '@/lib/shop/domain/checkout-account';

/**
 * Place order refused because someone signed in or out (in another tab) since this page opened (`accountChanged`):
 * the page is rendered again for the account signed in now, its sentence staying on the form and every field as
 * typed, so the next press orders for the account the page shows. When the account it shows changes, the email
 * field shows the new account's (its orders go there; signed out, it stays as it was, now editable) and the total
 * is asked again: whether a first-order code applies depends on who orders.
 */
export function useAccountChange(
  account: CheckoutAccount | undefined,
  failure: object | undefined,
  form: RefObject<HTMLFormElement | null>,
  requote: () => void,
) {
  const router = useRouter();
  useEffect(() => {
    if (failure && 'accountChanged' in failure) router.refresh();
  }, [failure, router]);

  const shown = accountShown(account?.id);
  const rendered = useRef(shown);
  useEffect(() => {
    if (rendered.current === shown) return;
    rendered.current = shown;
    const email = form.current?.elements.namedItem('email');
    if (account && email instanceof HTMLInputElement) email.value = account.email;
    if (form.current) saveCheckoutDraft(form.current);
    requote();
  }, [shown, account, form, requote]);
}
