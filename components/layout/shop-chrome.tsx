import type { ReactNode } from 'react';
import { CartHydrator } from '@/components/cart/cart-hydrator';
import { LazyEmailCapturePopup } from '@/components/email-capture/lazy-email-capture';
import { LinkNavigation } from '@/components/layout/link-navigation';
import { SiteFooter } from '@/components/layout/site-footer';
import { SiteHeader } from '@/components/layout/site-header';
import { LazyConsentBanner } from '@/components/tracking/lazy-consent-banner';
import { ShopTracking } from '@/components/tracking/shop-tracking';
import { listCartSkus } from '@/lib/shop/domain/catalog';

/**
 * Everything a storefront page sits in: tracking, cart, header, consent banner, footer, email popup. The ops
 * console has none of it.
 */
export function ShopChrome({ children }: { children: ReactNode }) {
  return (
    <ShopTracking>
      <CartHydrator skus={listCartSkus()} />
      <LinkNavigation />
      <SiteHeader />
      {/* Fixed to the bottom of the screen, but early in the tab order: right after the header, before the page. */}
      <LazyConsentBanner />
      {/* Long words wrap: what shoppers type is shown back (an email, a name, a town of 58 letters, a search) and
          one with no space in it made the whole page scroll sideways on a phone. */}
      <main id="main" className="flex-1 break-words">
        {children}
      </main>
      <SiteFooter />
      <LazyEmailCapturePopup />
    </ShopTracking>
  );
}
