'use client';

import { lazy, Suspense } from 'react';
import { useTracking } from '@/lib/tracking/react';

const ConsentBanner = lazy(() => import('@/lib/tracking/consent-banner').then((m) => ({ default: m.ConsentBanner })));

/**
 * The consent banner shows only once the tracking settings are read (after hydration), and only to a shopper who has
 * not chosen yet or who opened Privacy choices, so its markup is loaded then, not in every page's first load
 * (scripts/size-budget.mjs).
 */
export function LazyConsentBanner() {
  if (!useTracking().bannerShown) return null;
  return (
    <Suspense fallback={null}>
      <ConsentBanner />
    </Suspense>
  );
}
