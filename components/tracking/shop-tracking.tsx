'use client';

import { useEffect, useState, type ReactNode } from 'react';
import type { loadTrackingSettings } from '@/lib/shop/client/tracking-settings';
import { forgetStaleUser, releaseMirrors } from '@/lib/tracking/browser';
import { logError } from '@/lib/tracking/log';
import { IdentifyOnce, TrackingProvider } from '@/lib/tracking/react';

// A product's size (`?variant=`, replaced in the URL as the shopper picks one) is not a new page view.
const SAME_VIEW_PARAMS = ['variant'];

/**
 * Wraps the storefront (ShopChrome, in app/(shop)/layout.tsx) in the tracking layer; the ops console renders
 * without it, so it sends no page calls. The pages are static, so nothing per visitor is rendered into them: after
 * hydration this asks GET /api/shop/tracking once per page load for the write key, consent mode and strictness
 * (this server's env, read at run time, so one build runs anywhere) and, for a signed-in session, the customer id
 * with an identity signature minted for this browser's anonymous id; an SDK holding a user id the server does not
 * know this browser as forgets it first. The ingest host is the page's own origin.
 * Until the answer arrives, calls wait in the tracking layer's queue and the consent banner is not shown. The code
 * that reads and checks the answer is imported then (lib/shop/client/tracking-settings.ts), not in the first load.
 */
export function ShopTracking({ children }: { children: ReactNode }) {
  const [settings, setSettings] = useState<Awaited<ReturnType<typeof loadTrackingSettings>> | null>(null);
  useEffect(() => {
    let live = true;
    import('@/lib/shop/client/tracking-settings')
      .then((m) => m.loadTrackingSettings())
      .then((loaded) => {
        if (!live) return;
        // Before the SDK loads (it starts once the config is set): it must not start as a user the server does not
        // know this browser as.
        forgetStaleUser(loaded.session.knownCustomerId);
        setSettings(loaded);
      })
      .catch((error: unknown) => {
        logError('tracking is off for this page: its settings could not be read', error);
        releaseMirrors();
      });
    return () => {
      live = false;
    };
  }, []);
  const config = settings?.config ?? null;
  const identity = settings?.session.identity;
  return (
    <TrackingProvider config={config} sameViewParams={SAME_VIEW_PARAMS}>
      {children}
      {identity && (
        <IdentifyOnce customerId={identity.customerId} traits={identity.traits} signature={identity.signature} />
      )}
    </TrackingProvider>
  );
}
