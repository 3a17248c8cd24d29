'use client';

import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { parseTrackingSession, type TrackingSession } from '@/lib/shop/domain/tracking-session';
import { browserTrackingConfig } from '@/lib/tracking/config';
import { logError } from '@/lib/tracking/log';
import { IdentifyOnce, TrackingProvider } from '@/lib/tracking/react';

/**
 * Wraps the storefront (ShopChrome, in app/(shop)/layout.tsx) in the tracking layer; the ops console renders
 * without it, so it sends no page calls. The pages are static, so nothing per visitor is rendered into them: after
 * hydration this asks GET /api/shop/tracking once per page load for the write key, consent mode and strictness
 * (this server's env, read at run time, so one build runs anywhere) and, for a signed-in session, the customer id
 * with an identity signature minted for this browser's anonymous id. The ingest host is the page's own origin.
 * Until the answer arrives, calls wait in the tracking layer's queue and the consent banner is not shown.
 */
export function ShopTracking({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<TrackingSession | null>(null);
  useEffect(() => {
    let live = true;
    fetch('/api/shop/tracking', { cache: 'no-store', credentials: 'same-origin' })
      .then((response) => {
        if (!response.ok) throw new Error(`GET /api/shop/tracking answered ${response.status}`);
        return response.json();
      })
      .then((body: unknown) => live && setSession(parseTrackingSession(body)))
      .catch((error: unknown) => logError('tracking is off for this page: its settings could not be read', error));
    return () => {
      live = false;
    };
  }, []);
  const config = useMemo(
    () =>
      session &&
      browserTrackingConfig({
        origin: window.location.origin,
        writeKey: session.writeKey,
        consentMode: session.consentMode,
        strict: session.strict,
      }),
    [session],
  );
  const identity = session?.identity;
  return (
    <TrackingProvider config={config}>
      {children}
      {identity && (
        <IdentifyOnce customerId={identity.customerId} traits={identity.traits} signature={identity.signature} />
      )}
    </TrackingProvider>
  );
}
