'use client';

import { useTracking } from './react';

/**
 * Accept / Decline for analytics. Shown until the shopper chooses (and once the consent mode is known); the choice
 * is kept in a cookie for a year.
 */
export function ConsentBanner({ className = '' }: { className?: string }) {
  const { consent, config, accept, decline } = useTracking();
  if (consent !== null || config === null) return null;
  const text =
    config.consentMode === 'opt-in'
      ? 'May we use first-party analytics to improve the shop? Nothing is collected until you accept.'
      : 'We use first-party analytics to improve the shop and remember your cart. You can decline.';
  return (
    <section
      role="region"
      aria-label="Privacy choices"
      className={`fixed inset-x-0 bottom-0 z-50 border-t border-stone-200 bg-white/95 p-4 shadow-lg ${className}`}
    >
      <div className="mx-auto flex max-w-4xl flex-col items-start gap-3 text-sm text-stone-800 sm:flex-row sm:items-center">
        <p className="flex-1">{text}</p>
        <div className="flex gap-2">
          <button
            type="button"
            onClick={decline}
            className="rounded-md border border-stone-300 px-4 py-2 font-medium hover:bg-stone-100"
          >
            Decline
          </button>
          <button
            type="button"
            onClick={accept}
            className="rounded-md bg-stone-900 px-4 py-2 font-medium text-white hover:bg-stone-700"
          >
            Accept
          </button>
        </div>
      </div>
    </section>
  );
}
