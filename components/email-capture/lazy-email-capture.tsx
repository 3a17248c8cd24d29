'use client';

import { lazy, Suspense, useEffect, useState } from 'react';

/**
 * The email popup opens only after a while on the shop, so its form is loaded after hydration rather than in
 * every page's first load (the budget in scripts/size-budget.mjs). React.lazy rather than next/dynamic: the
 * latter's loader is another 1 KB gzip of every page's first load.
 */
const EmailCapturePopup = lazy(() => import('./email-capture-popup').then((m) => ({ default: m.EmailCapturePopup })));

export function LazyEmailCapturePopup() {
  // Browser only (false while the server renders and during hydration): the popup is never in the page's HTML.
  // Set in a task of its own after hydration: a store that reads true in the browser (useSyncExternalStore) made
  // React re-render synchronously at once, pulling every effect of the hydration into one long task with it.
  const [inBrowser, setInBrowser] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setInBrowser(true));
    return () => clearTimeout(timer);
  }, []);
  return inBrowser ? (
    <Suspense fallback={null}>
      <EmailCapturePopup />
    </Suspense>
  ) : null;
}
