import { Suspense, type ReactNode } from 'react';
import { CartHydrator } from '@/components/cart/cart-hydrator';
import { LazyEmailCapturePopup } from '@/components/email-capture/lazy-email-capture';
import { SiteFooter } from '@/components/layout/site-footer';
import { SiteHeader } from '@/components/layout/site-header';
import { LazyConsentBanner } from '@/components/tracking/lazy-consent-banner';
import { ShopTracking } from '@/components/tracking/shop-tracking';
import { listCartSkus } from '@/lib/shop/domain/catalog';

/**
 * Everything a storefront page sits in: tracking, cart, header, consent banner, footer, email popup. The ops
 * console has none of it.
 * Header and footer are each in a Suspense boundary though nothing in them suspends (their HTML is complete, no
 * fallback is ever shown): React hydrates what is outside any boundary in one task, and what is inside one later, in
 * 5 ms slices between which the browser stays responsive (Lighthouse's total blocking time,
 * scripts/bench/lighthouse.mjs). A click on a part not yet hydrated hydrates that part first and is replayed. The
 * page itself is not wrapped here: a boundary around every page would let a dynamic page's shell stream with a 200
 * before its notFound(); the static pages have their own (loading.tsx, or the home page's).
 */
export function ShopChrome({ children }: { children: ReactNode }) {
  return (
    <ShopTracking>
      <CartHydrator skus={listCartSkus()} />
      <Suspense>
        <SiteHeader />
      </Suspense>
      {/* Fixed to the bottom of the screen, but early in the tab order: right after the header, before the page. */}
      <LazyConsentBanner />
      <main id="main" className="flex-1">
        {children}
      </main>
      <Suspense>
        <SiteFooter />
      </Suspense>
      <LazyEmailCapturePopup />
    </ShopTracking>
  );
}
