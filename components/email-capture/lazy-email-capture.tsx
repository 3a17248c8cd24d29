'use client';

import { lazy, Suspense, useSyncExternalStore } from 'react';

/**
 * The email popup opens only after a while on the shop, so its form is loaded after hydration rather than in
 * every page's first load (the budget in scripts/size-budget.mjs). React.lazy rather than next/dynamic: the
 * latter's loader is another 1 KB gzip of every page's first load.
 */
const EmailCapturePopup = lazy(() => import('./email-capture-popup').then((m) => ({ default: m.EmailCapturePopup })));

const noSubscription = () => () => {};

export function LazyEmailCapturePopup() {
  // Browser only (false while the server renders and during hydration): the popup is never in the page's HTML.
  const inBrowser = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  return inBrowser ? (
    <Suspense fallback={null}>
      <EmailCapturePopup />
    </Suspense>
  ) : null;
}
