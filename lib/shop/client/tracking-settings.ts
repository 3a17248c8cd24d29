'use client';

import { SHOP_PRIVATE_URLS } from '@/lib/shop/domain/private-urls';
import { parseTrackingSession, type TrackingSession } from '@/lib/shop/domain/tracking-session';
import { browserTrackingConfig, type BrowserTrackingConfig } from '@/lib/tracking/config';

/**
 * GET /api/shop/tracking, checked, and the browser config built from it (the ingest host is the page's own origin).
 * ShopTracking imports this after hydration: the answer's checks are not in every page's first load.
 */
export async function loadTrackingSettings(): Promise<{ session: TrackingSession; config: BrowserTrackingConfig }> {
  const response = await fetch('/api/shop/tracking', { cache: 'no-store', credentials: 'same-origin' });
  if (!response.ok) throw new Error(`GET /api/shop/tracking answered ${response.status}`);
  const session = parseTrackingSession(await response.json());
  const config = browserTrackingConfig({
    origin: window.location.origin,
    writeKey: session.writeKey,
    consentMode: session.consentMode,
    strict: session.strict,
    privateUrls: SHOP_PRIVATE_URLS,
  });
  return { session, config };
}
