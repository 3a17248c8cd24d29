import { cookies, headers } from 'next/headers';
import type { ReactNode } from 'react';
import { env } from '@/lib/env';
import { currentCustomer } from '@/lib/shop/server/auth/session';
import { browserIdentity, serverTracker } from '@/lib/shop/server/tracking';
import { browserTrackingConfig, originFromHeaders } from '@/lib/tracking/config';
import { readConsentChoice } from '@/lib/tracking/consent';
import { IdentifyOnce, TrackingProvider } from '@/lib/tracking/react';

/**
 * Wraps the storefront (ShopChrome, in app/(shop)/layout.tsx) in the tracking layer; the ops console renders
 * without it, so it sends no page calls. The browser's config (write key, ingest host, consent mode,
 * strictness) is built here per request from the server's env and the request's origin — never inlined at
 * build time — so one build runs anywhere. A signed-in session whose id the SDK does not hold yet (another
 * device, a session older than consent) is identified once, with an identity signature minted here for this
 * browser's anonymous id; an anonymous visitor never is.
 */
export async function ShopTracking({ children }: { children: ReactNode }) {
  const [requestHeaders, jar, customer] = await Promise.all([headers(), cookies(), currentCustomer()]);
  const e = env();
  const config = browserTrackingConfig({
    origin: originFromHeaders(requestHeaders, e.appUrl),
    writeKey: e.CDP_WRITE_KEY,
    consentMode: e.CONSENT_MODE,
    strict: e.trackingStrict,
  });
  const identity = customer && browserIdentity(customer);
  const signature = identity && (await serverTracker().signIdentity(identity.customerId, identity.traits));
  return (
    <TrackingProvider config={config} initialConsent={readConsentChoice(jar)}>
      {children}
      {identity && <IdentifyOnce customerId={identity.customerId} traits={identity.traits} signature={signature} />}
    </TrackingProvider>
  );
}
