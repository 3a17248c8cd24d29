'use client';

import { unstable_rethrow } from 'next/navigation';
import { startTransition, useActionState, useEffect, useRef, type FormEvent } from 'react';
import type { ActionFailure, ActionResult } from '@/lib/shop/server/action';

const NETWORK_ERROR = 'We could not reach the shop. Check your connection and try again.';

/**
 * Wires a form to a validated server action: pending state, the last failure (with field errors), and focus
 * moved to the first invalid field — or the form's alert — after a failure.
 *
 * It submits through onSubmit + startTransition, not `<form action>`: React resets a form after a form
 * action, which throws away what the person typed and silently puts a select back on its first option
 * while the page still acts on the choice. A request that gets no answer (offline, dropped connection)
 * becomes a failure with `networkError` on the form, instead of the error page. One submission at a time:
 * a double click does not send two.
 */
export function useActionForm<R extends ActionResult>(
  submit: (form: FormData) => Promise<R>,
  onSuccess?: (result: Extract<R, { ok: true }>) => void | Promise<void>,
  { networkError = NETWORK_ERROR }: { networkError?: string } = {},
) {
  const formRef = useRef<HTMLFormElement>(null);
  const inFlight = useRef(false);
  const [state, dispatch, pending] = useActionState(
    async (_prev: R | ActionFailure | null, request: () => Promise<R>): Promise<R | ActionFailure> => {
      try {
        let result: R;
        try {
          result = await request();
        } catch (err) {
          unstable_rethrow(err);
          console.error('[form] submission failed:', err);
          return { ok: false, error: networkError };
        }
        if (result.ok) await onSuccess?.(result as Extract<R, { ok: true }>);
        return result;
      } finally {
        inFlight.current = false;
      }
    },
    null,
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    const form = new FormData(event.currentTarget);
    // `submit` from this render: it sees the state the person is looking at when they press the button.
    startTransition(() => dispatch(() => submit(form)));
  }

  useEffect(() => {
    if (!state || state.ok) return;
    const form = formRef.current;
    (
      form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector<HTMLElement>('[data-form-alert]')
    )?.focus();
  }, [state]);

  const failure = state && !state.ok ? (state as Exclude<R, { ok: true }> | ActionFailure) : undefined;
  const success = state?.ok ? (state as Extract<R, { ok: true }>) : undefined;
  // method=post: were the form ever submitted before the page is interactive, nothing lands in the URL.
  return { formProps: { ref: formRef, onSubmit, method: 'post' }, pending, failure, success };
}
