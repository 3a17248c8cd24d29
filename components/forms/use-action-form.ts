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
 * a double click does not send two. `alertText` is the sentence for the form's FormAlert: the failure's message,
 * unless a field of the form already prints it (then focus goes to that field, which reads it out).
 */
export function useActionForm<R extends ActionResult>(
  submit: (form: FormData) => Promise<R>,
  onSuccess?: (result: Extract<R, { ok: true }>) => void | Promise<void>,
  { networkError = NETWORK_ERROR }: { networkError?: string } = {},
) {
  const formRef = useRef<HTMLFormElement>(null);
  const inFlight = useRef(false);
  const [state, dispatch, pending] = useActionState(
    async (_prev: Submission<R> | null, request: { send: () => Promise<R>; fields: string[] }) => {
      const done = (result: R | ActionFailure): Submission<R> => ({ result, fields: request.fields });
      try {
        let result: R;
        try {
          result = await request.send();
        } catch (err) {
          unstable_rethrow(err);
          console.error('[form] submission failed:', err);
          return done({ ok: false, error: networkError });
        }
        if (result.ok) await onSuccess?.(result as Extract<R, { ok: true }>);
        return done(result);
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
    const fields = visibleFieldNames(event.currentTarget);
    // `submit` from this render: it sees the state the person is looking at when they press the button.
    startTransition(() => dispatch({ send: () => submit(form), fields }));
  }

  useEffect(() => {
    if (!state || state.result.ok) return;
    const form = formRef.current;
    (
      form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector<HTMLElement>('[data-form-alert]')
    )?.focus();
  }, [state]);

  const result = state?.result;
  const failure = result && !result.ok ? (result as Exclude<R, { ok: true }> | ActionFailure) : undefined;
  const success = result?.ok ? (result as Extract<R, { ok: true }>) : undefined;
  // Each problem is printed once: a message already shown beside a field of this form is not repeated above it.
  const alertText = failure && !printedAtField(failure, state!.fields) ? failure.error : undefined;
  // method=post: were the form ever submitted before the page is interactive, nothing lands in the URL.
  return { formProps: { ref: formRef, onSubmit, method: 'post' }, pending, failure, success, alertText };
}

type Submission<R> = { result: R | ActionFailure; fields: string[] };

/** Names of the controls a person sees in the form (not hidden inputs): where field errors are printed. */
function visibleFieldNames(form: HTMLFormElement): string[] {
  return [...form.elements].flatMap((el) =>
    (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) &&
    el.name &&
    el.type !== 'hidden'
      ? [el.name]
      : [],
  );
}

function printedAtField(failure: ActionFailure, fields: readonly string[]): boolean {
  return fields.some((name) => failure.fieldErrors?.[name]?.includes(failure.error));
}
