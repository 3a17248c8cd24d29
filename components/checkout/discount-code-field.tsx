'use client';

import type { KeyboardEvent, MouseEvent } from 'react';
import { FormField } from '@/components/forms/form-field';

/** The form's email as typed: the server checks the code against that customer's orders. */
const typedEmail = (form: HTMLFormElement | null) =>
  (form?.elements.namedItem('email') as HTMLInputElement | null)?.value ?? '';

/**
 * The optional "Discount code" field and its Apply button (Enter in the field applies it too, without placing the
 * order). `applied`: the code the summary's total includes, if any; `error`: why a code does not apply (tied to
 * the field with aria-describedby, like every field error). Both arrive with the quote while focus stays on Apply or
 * in the field, so the field's notes are a live region: a screen reader hears that the code was refused, and why.
 */
export function DiscountCodeField({
  applied,
  error,
  onApply,
}: {
  applied: string | null | undefined;
  error: string | undefined;
  onApply(code: string, email: string): void;
}) {
  const apply = (form: HTMLFormElement | null) => {
    const input = form?.elements.namedItem('discountCode') as HTMLInputElement | null;
    onApply(input?.value.trim() ?? '', typedEmail(form));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    apply(e.currentTarget.form);
  };
  const failure = error ? { ok: false as const, error, fieldErrors: { discountCode: [error] } } : undefined;
  return (
    <div className="flex items-start gap-2">
      <FormField
        name="discountCode"
        label="Discount code"
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        maxLength={40}
        className="flex-1"
        hint={applied ? `${applied} applied: see the summary.` : 'Optional.'}
        failure={failure}
        live
        onKeyDown={onKeyDown}
      />
      <button
        type="button"
        className="btn-secondary mt-6"
        onClick={(e: MouseEvent<HTMLButtonElement>) => apply(e.currentTarget.form)}
      >
        Apply
      </button>
    </div>
  );
}
