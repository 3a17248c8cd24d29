'use client';

import { EMAIL_INPUT, FormAlert, FormField } from '@/components/forms/form-field';
import { useActionForm } from '@/components/forms/use-action-form';
import { requestRoutine } from '@/lib/shop/actions/email-capture';
import { emailCaptureTracked } from '@/lib/shop/client/tracking';
import type { SkinType } from '@/lib/shop/domain/catalog';

/**
 * "Send me my routine": the server captures the email (as every email form, captureEmailTracked) and records the
 * request for this result's routine email, which the pipeline sends on its next journey pass. Only the result's
 * id goes up; the server reads its name and products from the catalogue.
 */
export function RoutineEmailForm({ result }: { result: SkinType }) {
  const { formProps, pending, failure, success, alertText } = useActionForm((form) =>
    emailCaptureTracked('quiz', (messageId, cart) =>
      requestRoutine({ email: String(form.get('email') ?? ''), result, messageId, cart }),
    ),
  );

  if (success) {
    return (
      <p role="status" className="rounded-2xl bg-emerald-50 p-4 text-sm text-emerald-900">
        Sent! Check your inbox in a few minutes for your {success.routine} routine.
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
