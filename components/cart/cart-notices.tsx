'use client';

import { knownCartSkus, useCart } from '@/lib/shop/client/cart-store';
import { describeNotice, shownNotices } from '@/lib/shop/domain/cart-notices';

/**
 * Tells the shopper which saved cart lines were dropped or reduced when the cart was read back, and why.
 * The live region is always rendered so screen readers announce the notice when the saved cart loads.
 */
/** `className` spaces the notice from its neighbours; it is not applied while there is nothing to say. */
export function CartNotices({ className }: { className?: string }) {
  const notices = shownNotices(useCart((s) => s.notices));
  const dismissNotices = useCart((s) => s.dismissNotices);

  function dismiss() {
    dismissNotices();
    // The button disappears with the notice: continue from the page's heading rather than from nowhere.
    const heading = document.querySelector<HTMLElement>('main h1');
    heading?.setAttribute('tabindex', '-1');
    heading?.focus();
  }

  return (
    <div role="status">
      {notices.length > 0 && (
        <div className={`rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 ${className ?? ''}`}>
          <p className="font-medium">We changed your saved cart:</p>
          <ul className="mt-2 list-disc space-y-1 pl-5">
            {notices.map((notice, i) => (
              <li key={i}>{describeNotice(notice, knownCartSkus())}</li>
            ))}
          </ul>
          <button
            type="button"
            onClick={dismiss}
            className="mt-3 font-medium underline underline-offset-2 hover:text-amber-800"
          >
            Dismiss<span className="sr-only"> the cart changes notice</span>
          </button>
        </div>
      )}
    </div>
  );
}
