'use client';

import { useEffect, useRef } from 'react';
import type { ConsentChoice, ConsentMode } from './consent';
import { useTracking } from './react';

/** What the banner says: the question, or, reopened through Privacy choices, the choice on record. */
export function consentBannerText(mode: ConsentMode, consent: ConsentChoice | null): string {
  if (consent === 'granted')
    return 'You accepted analytics. Decline to stop it: the shop then forgets the ids it gave this browser.';
  if (consent === 'denied') return 'You declined analytics. Nothing is collected unless you accept.';
  return mode === 'opt-in'
    ? 'May we use first-party analytics to improve the shop? Nothing is collected until you accept.'
    : 'We use first-party analytics to improve the shop and remember your cart. You can decline.';
}

/**
 * Accept / Decline for analytics. Shown until the shopper chooses (and once the consent mode is known), and again
 * when she opens Privacy choices (`openChoices`), then saying what she chose; the choice is kept in a cookie for a
 * year. Reopened, it takes focus (a shopper who asked for it is taken to it) and Escape closes it unchanged.
 */
export function ConsentBanner({ className = '' }: { className?: string }) {
  const { consent, config, bannerShown, choosing, accept, decline, closeChoices } = useTracking();
  const region = useRef<HTMLElement>(null);
  // Not when it first shows on a page load: that would pull focus away from whatever the shopper went to.
  useEffect(() => {
    if (choosing) region.current?.focus();
  }, [choosing]);
  // Fixed over the bottom of the page, it would hide the page's last lines (the footer, its Privacy choices button):
  // the page gets room below them, as tall as the banner, while it shows.
  const shown = bannerShown && config !== null;
  useEffect(() => {
    const banner = region.current;
    if (!shown || !banner) return;
    const body = document.body;
    const before = body.style.paddingBottom;
    const observer = new ResizeObserver(() => (body.style.paddingBottom = `${banner.offsetHeight}px`));
    observer.observe(banner);
    return () => {
      observer.disconnect();
      body.style.paddingBottom = before;
    };
  }, [shown]);
  if (!shown) return null;
  return (
    <section
      ref={region}
      role="region"
      aria-label="Privacy choices"
      aria-describedby="consent-banner-text"
      tabIndex={-1}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && choosing) closeChoices();
      }}
      className={`fixed inset-x-0 bottom-0 z-50 border-t border-stone-200 bg-white/95 p-4 shadow-lg ${className}`}
    >
      <div className="mx-auto flex max-w-4xl flex-col items-start gap-3 text-sm text-stone-800 sm:flex-row sm:items-center">
        <p id="consent-banner-text" className="flex-1">
          {consentBannerText(config.consentMode, consent)}
        </p>
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
