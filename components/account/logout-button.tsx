'use client';

import { useRouter } from 'next/navigation';
import { useActionForm } from '@/components/forms/use-action-form';
import { logOut } from '@/lib/shop/actions/auth';
import { forgetShopperCart } from '@/lib/shop/client/shopper';
import { reset, track } from '@/lib/tracking/browser';

export function LogoutButton() {
  const router = useRouter();
  const { formProps, pending, failure } = useActionForm(logOut, ({ anonymousId }) => {
    // Logged Out still belongs to this person; reset() then forgets them and adopts the anonymous id the
    // action rotated, so the next shopper on this device starts anonymous.
    track('Logged Out', { method: 'password' });
    reset(anonymousId ?? undefined);
    // Nor do they find this person's cart or the address typed at checkout in this tab: emptied after reset(),
    // untracked. This person's `cart` attribute (their recovery email) stays until a signup or login hands one over.
    forgetShopperCart();
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
