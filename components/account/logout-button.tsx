'use client';

import { useRouter } from 'next/navigation';
import { useActionForm } from '@/components/forms/use-action-form';
import { logOut } from '@/lib/shop/actions/auth';
import { useCart } from '@/lib/shop/client/cart-store';
import { endCheckoutAttempt } from '@/lib/shop/client/checkout-attempt';
import { reset, track } from '@/lib/tracking/browser';

export function LogoutButton() {
  const router = useRouter();
  const { formProps, pending, failure } = useActionForm(logOut, () => {
    // Logged Out still belongs to this person; reset() then forgets them and adopts the anonymous id the
    // action rotated, so the next shopper on this device starts anonymous.
    track('Logged Out', { method: 'password' });
    reset();
    // Nor do they find the address this person typed at checkout in this tab, nor their cart: it would show them
    // what this person chose, and go as `items` into their own cart events (and, were they to sign up, into their
    // `cart` attribute and recovery email). Emptied after reset(), untracked: no Removed from Cart under the new id,
    // and this person's `cart` attribute (their recovery email) stays until a signup or login hands over a cart.
    endCheckoutAttempt();
    useCart.getState().clear();
    router.replace('/');
    router.refresh();
  });
  return (
    <form {...formProps}>
      <button type="submit" className="btn-secondary" disabled={pending}>
        {pending ? 'Logging out…' : 'Log out'}
      </button>
      {failure && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {failure.error}
        </p>
      )}
    </form>
  );
}
