import 'server-only';
import { env } from '@/lib/env';
import type { TrackingSession } from '@/lib/shop/domain/tracking-session';
import { currentCustomer } from './auth/session';
import { browserIdentity, serverTracker } from './tracking';

/**
 * The per-request part of the storefront's tracking, answered by GET /api/shop/tracking so that the pages
 * themselves stay static: the write key, consent mode and strictness from this server's env (read at run time,
 * so one build runs anywhere), and for a signed-in session its customer id, traits and an identity signature
 * minted for this browser's anonymous id. The ingest host is the page's own (`location.host`, in the browser).
 */
export async function trackingSession(): Promise<TrackingSession> {
  const e = env();
  const customer = await currentCustomer();
  const identity = customer ? browserIdentity(customer) : null;
  return {
    writeKey: e.CDP_WRITE_KEY,
    consentMode: e.CONSENT_MODE,
    strict: e.trackingStrict,
    identity: identity && {
      ...identity,
      signature: await serverTracker().signIdentity(identity.customerId, identity.traits),
    },
  };
}
