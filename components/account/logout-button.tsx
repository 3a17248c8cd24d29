'use client';

import { useRouter } from 'next/navigation';
import { useActionForm } from '@/components/forms/use-action-form';
import { logOut } from '@/lib/shop/auth/actions';

export function LogoutButton() {
  const router = useRouter();
  const { formAction, pending, failure } = useActionForm(logOut, () => {
    // The tracking layer resets the SDK here, so the next shopper on this device starts anonymous.
    router.replace('/');
    router.refresh();
  });
  return (
    <form action={formAction}>
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
