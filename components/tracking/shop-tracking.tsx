'use client';

import { useEffect, useState, type ReactNode } from 'react';
import type { loadTrackingSettings } from '@/lib/shop/client/tracking-settings';
import { forgetStaleUser, releaseMirrors, whenTracking } from '@/lib/tracking/browser';
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
    readSettings()
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
  // Read before this browser had an anonymous id (opt-in, before Accept): nothing could be signed for it, and an
  // identify made meanwhile (a signup, a login) was not made (lib/tracking/browser.ts identify). Read once more when
  // the SDK has set one, so a signed-in session is identified with a signature for it (an unsigned one is held).
  const withoutId = settings?.session.anonymousId === null;
  useEffect(() => {
    if (!withoutId) return;
    let live = true;
    whenTracking(
      () =>
        void readSettings()
          .then((loaded) => live && setSettings(loaded))
          .catch((error: unknown) => logError('the signed-in session could not be identified', error)),
    );
    return () => {
      live = false;
    };
  }, [withoutId]);
  const config = settings?.config ?? null;
  const { identity, anonymousId } = settings?.session ?? {};
  return (
    <TrackingProvider config={config} sameViewParams={SAME_VIEW_PARAMS}>
      {children}
      {identity && anonymousId && (
        <IdentifyOnce
          customerId={identity.customerId}
          traits={identity.traits}
          signature={identity.signature}
          anonymousId={anonymousId}
        />
      )}
    </TrackingProvider>
  );
}

const readSettings = () => import('@/lib/shop/client/tracking-settings').then((m) => m.loadTrackingSettings());
