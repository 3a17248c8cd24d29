'use client';

import { FormAlert } from '@/components/forms/form-field';
import { useActionForm } from '@/components/forms/use-action-form';
import { unsubscribe } from '@/lib/shop/actions/unsubscribe';

/**
 * One button, so a mail scanner that opens the link unsubscribes nobody: the unsubscription is recorded only
 * when a person presses it.
 */
export function UnsubscribeForm({ token }: { token: string }) {
  const { formProps, pending, alertText, success } = useActionForm(unsubscribe);

  if (success) {
    return (
      <p role="status" className="mt-8 rounded-2xl bg-emerald-50 p-4 text-emerald-900">
        You are unsubscribed. Glowlab will not send you any more emails like this one.
      </p>
    );
  }

  return (
    <form {...formProps} noValidate className="mt-8 space-y-4" aria-busy={pending}>
      <FormAlert message={alertText} />
      <input type="hidden" name="token" value={token} />
      <button type="submit" className="btn-primary" disabled={pending}>
        {pending ? 'Unsubscribing…' : 'Unsubscribe'}
      </button>
    </form>
  );
}
