'use client';

import dynamic from 'next/dynamic';

/**
 * The email popup opens only after a while on the shop, so its form is loaded after hydration rather than in
 * every page's first load (the budget in scripts/size-budget.mjs).
 */
export const LazyEmailCapturePopup = dynamic(() => import('./email-capture-popup').then((m) => m.EmailCapturePopup), {
  ssr: false,
});
