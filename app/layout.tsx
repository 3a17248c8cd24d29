import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { CartHydrator } from '@/components/cart/cart-hydrator';
import { EmailCapturePopup } from '@/components/email-capture/email-capture-popup';
import { SiteFooter } from '@/components/layout/site-footer';
import { SiteHeader } from '@/components/layout/site-header';
import { ShopTracking } from '@/components/tracking/shop-tracking';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Glowlab — skincare that fits your skin', template: '%s · Glowlab' },
  description: 'A demo D2C skincare shop with anonymous tracking and identity stitching.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col">
        <ShopTracking>
          <CartHydrator />
          <SiteHeader />
          <main id="main" className="flex-1">
            {children}
          </main>
          <SiteFooter />
          <EmailCapturePopup />
        </ShopTracking>
      </body>
    </html>
  );
}
