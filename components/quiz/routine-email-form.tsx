'use client';

import { EMAIL_INPUT, FormAlert, FormField } from '@/components/forms/form-field';
import { useActionForm } from '@/components/forms/use-action-form';
import { captureEmailTracked } from '@/lib/shop/client/tracking';

/** "Send me my routine": hands the email to the server, which returns the shopper's canonical customer id. */
export function RoutineEmailForm() {
  const { formProps, pending, failure, success, alertText } = useActionForm((form) =>
    captureEmailTracked(String(form.get('email') ?? ''), 'quiz'),
  );

  if (success) {
    return (
      <p role="status" className="rounded-2xl bg-emerald-50 p-4 text-sm text-emerald-900">
        Thanks! Your routine is on its way to your inbox.
      </p>
    );
  }

  return (
    <form {...formProps} noValidate aria-labelledby="routine-email-heading" className="rounded-2xl bg-white p-5">
      <h3 id="routine-email-heading" className="font-semibold">
        Send me my routine
      </h3>
      <p className="mt-1 text-sm text-stone-600">Optional. We&apos;ll email your result and product list.</p>
      <div className="mt-4 space-y-3">
        <FormAlert message={alertText} />
        <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <FormField name="email" label="Email" {...EMAIL_INPUT} required failure={failure} className="flex-1" />
          <button type="submit" disabled={pending} className="btn-primary">
            {pending ? 'Sending…' : 'Send my routine'}
          </button>
        </div>
      </div>
    </form>
  );
}
