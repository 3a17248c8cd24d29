'use client';

import { usePathname } from 'next/navigation';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { EMAIL_INPUT, FormAlert, FormField } from '@/components/forms/form-field';
import { usePageMissing } from '@/components/layout/not-a-page';
import { useActionForm } from '@/components/forms/use-action-form';
import { captureEmailTracked } from '@/lib/shop/client/tracking';
import { WELCOME_CODE, WELCOME_OFFER } from '@/lib/shop/domain/welcome-code';
import { markPopupSeen, usePopupTrigger } from './use-popup-trigger';

// Pages where an interruption would cost a sale or makes no sense.
const EXCLUDED = ['/checkout', '/account'];
const isExcluded = (path: string) => EXCLUDED.some((p) => path === p || path.startsWith(`${p}/`));

/**
 * "10% off your first order" dialog, shown once per visitor after `delayMs` or on exit intent. Mount it
 * once in the root layout. On success it shows the welcome code itself (checkout applies it to a first order):
 * nothing depends on an email arriving. A native modal <dialog> gives role=dialog, Esc to close and keeps focus inside.
 */
export function EmailCapturePopup({ delayMs = 8000 }: { delayMs?: number }) {
  const pathname = usePathname();
  // Never over a 404: the shopper is already lost.
  const missing = usePageMissing();
  const triggered = usePopupTrigger(!isExcluded(pathname) && !missing, delayMs);
  const [closed, setClosed] = useState(false);
  const onClose = useCallback(() => setClosed(true), []);
  return triggered && !closed ? <PopupDialog onClose={onClose} /> : null;
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** A modal <dialog> makes the page inert, but Tab can still leave for the browser UI: wrap it instead. */
function keepFocusInside(e: KeyboardEvent<HTMLDialogElement>) {
  if (e.key !== 'Tab') return;
  const focusable = [...e.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) return;
  const edge = e.shiftKey ? first : last;
  if (document.activeElement === edge || !e.currentTarget.contains(document.activeElement)) {
    e.preventDefault();
    (e.shiftKey ? last : first).focus();
  }
}

function PopupDialog({ onClose }: { onClose: () => void }) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const doneRef = useRef<HTMLButtonElement>(null);
  const { formProps, pending, failure, success, alertText } = useActionForm(
    (form) => captureEmailTracked(String(form.get('email') ?? ''), 'popup'),
    () => markPopupSeen('subscribed'),
  );

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const returnFocusTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    markPopupSeen('shown');
    dialog.showModal();
    const onDialogClose = () => {
      markPopupSeen('dismissed');
      returnFocusTo?.focus();
      onClose();
    };
    dialog.addEventListener('close', onDialogClose);
    return () => dialog.removeEventListener('close', onDialogClose);
  }, [onClose]);

  useEffect(() => {
    if (success) doneRef.current?.focus();
  }, [success]);

  const close = () => dialogRef.current?.close();

  return (
    <dialog
      ref={dialogRef}
      aria-labelledby="email-popup-title"
      aria-describedby="email-popup-description"
      // A click on the backdrop lands on the <dialog> itself: treat it as "no thanks".
      onClick={(e) => e.target === e.currentTarget && close()}
      onKeyDown={keepFocusInside}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-2xl bg-white p-0 text-stone-900 shadow-xl backdrop:bg-stone-900/50"
    >
      <div className="relative space-y-4 p-6">
        <h2 id="email-popup-title" className="pr-8 text-2xl font-semibold tracking-tight">
          {success ? 'You are on the list' : 'Get 10% off your first order'}
        </h2>
        <p id="email-popup-description" className="text-stone-600">
          {success ? WELCOME_OFFER : 'Join the Glowlab list and get a welcome code, shown here as soon as you join.'}
        </p>
        {success && (
          <p className="rounded-lg border border-dashed border-stone-400 p-3 text-center">
            <span className="block text-xs text-stone-500">Your code</span>
            <span className="font-mono text-xl font-semibold tracking-widest" data-testid="welcome-code">
              {WELCOME_CODE}
            </span>
          </p>
        )}
        {success ? (
          <button ref={doneRef} type="button" className="btn-primary w-full" onClick={close}>
            Continue shopping
          </button>
        ) : (
          <form {...formProps} noValidate className="space-y-3">
            <FormAlert message={alertText} />
            <FormField name="email" label="Email" {...EMAIL_INPUT} required failure={failure} />
            <button type="submit" className="btn-primary w-full" disabled={pending}>
              {pending ? 'Signing you up…' : 'Get my code'}
            </button>
          </form>
        )}
        <button
          type="button"
          onClick={close}
          className="absolute top-3 right-3 rounded-full p-2 text-stone-500 hover:bg-stone-100 hover:text-stone-900"
          aria-label="Close"
        >
          <span aria-hidden="true">×</span>
        </button>
      </div>
    </dialog>
  );
}
