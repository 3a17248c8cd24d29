'use client';

import { useActionState, useEffect, useRef } from 'react';
import type { ActionFailure, ActionResult } from '@/lib/shop/server/action';

type Success<T extends object> = { ok: true } & T;

/**
 * Wires a form to a validated server action: pending state, the last failure (with field errors and the
 * values to keep), and focus moved to the first invalid field — or the form's alert — after a failure.
 */
export function useActionForm<T extends object>(
  submit: (form: FormData) => Promise<ActionResult<T>>,
  onSuccess?: (result: Success<T>) => void | Promise<void>,
) {
  const formRef = useRef<HTMLFormElement>(null);
  const [state, formAction, pending] = useActionState(async (_prev: ActionResult<T> | null, form: FormData) => {
    const result = await submit(form);
    if (result.ok) await onSuccess?.(result);
    return result;
  }, null);

  useEffect(() => {
    if (!state || state.ok) return;
    const form = formRef.current;
    (
      form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector<HTMLElement>('[data-form-alert]')
    )?.focus();
  }, [state]);

  const failure: ActionFailure | undefined = state && !state.ok ? state : undefined;
  return { formRef, formAction, pending, failure, success: state?.ok ? (state as Success<T>) : undefined };
}
