'use client';

import { useEffect, useState } from 'react';

/** Set once the popup has been shown (then dismissed or answered): it never appears again for this visitor. */
export const POPUP_SEEN_KEY = 'glowlab-popup-dismissed';
/** Optional override of the delay, in milliseconds, for demos and tests (e.g. "0"). */
export const POPUP_DELAY_KEY = 'glowlab-popup-delay-ms';

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage blocked: behave as if the popup was seen rather than nag on every page
  }
}

/** Records how the popup ended; a "subscribed" answer is never downgraded to "dismissed" by the close. */
export function markPopupSeen(how: 'shown' | 'dismissed' | 'subscribed') {
  const store = storage();
  if (how === 'dismissed' && store?.getItem(POPUP_SEEN_KEY) === 'subscribed') return;
  store?.setItem(POPUP_SEEN_KEY, how);
}

/** True once the visitor has lingered `delayMs` or moved the mouse out through the top of the window. */
export function usePopupTrigger(enabled: boolean, delayMs: number): boolean {
  const [triggered, setTriggered] = useState(false);

  useEffect(() => {
    const store = storage();
    if (!enabled || !store || store.getItem(POPUP_SEEN_KEY)) return;
    const override = Number(store.getItem(POPUP_DELAY_KEY) ?? NaN);
    const delay = Number.isFinite(override) && override >= 0 ? override : delayMs;
    const fire = () => setTriggered(true);
    const timer = window.setTimeout(fire, delay);
    // Exit intent: the pointer leaves the document through the top edge (towards the tabs or close button).
    const onMouseOut = (e: MouseEvent) => {
      if (!e.relatedTarget && e.clientY <= 0) fire();
    };
    document.addEventListener('mouseout', onMouseOut);
    return () => {
      window.clearTimeout(timer);
      document.removeEventListener('mouseout', onMouseOut);
    };
  }, [enabled, delayMs]);

  return enabled && triggered;
}
