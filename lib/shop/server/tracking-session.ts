import 'server-only';
import { env } from '@/lib/env';
import type { TrackingSession } from '@/lib/shop/domain/tracking-session';
import { currentCustomer } from './auth/session';
import { readRequestAnonymousId } from '@/lib/tracking/server';
import { browserCustomerId, browserIdentity, serverTracker } from './tracking';

/**
 * The per-request part of the storefront's tracking, answered by GET /api/shop/tracking so that the pages
 * themselves stay static: the write key, consent mode and strictness from this server's env (read at run time,
 * so one build runs anywhere), and for a signed-in session its customer id, traits and an identity signature
 * minted for this browser's anonymous id (and that id); and who this browser is known as (signed in, or identified by its
 * anonymous id), so a stale SDK user id is forgotten on boot. The ingest host is the page's own (`location.host`, in the browser).
 */
export async function trackingSession(): Promise<TrackingSession> {
  const e = env();
  const customer = await currentCustomer();
  const identity = customer ? browserIdentity(customer) : null;
  const browserOf = await browserCustomerId();
  // The cookie is the browser's to set: a browser the shop knows as someone else (signing in rotates it, so no shop
  // flow gets here) is an anonymous id copied from another's browser, whose history a signature would move to this
  // customer (lib/cdp/README.md, rule 5). The browser's identify then goes unsigned and the pipeline holds it.
  const signable = browserOf === undefined || browserOf === customer?.id;
  // The id any signature is for, for the browser to identify with that id; null when the browser has none yet
  // (opt-in, before Accept): it reads this again once it has one.
  const anonymousId = await readRequestAnonymousId();
  return {
    knownCustomerId: customer ? customer.id : (browserOf ?? null),
    writeKey: e.CDP_WRITE_KEY,
    consentMode: e.CONSENT_MODE,
    strict: e.trackingStrict,
    anonymousId,
    identity: identity && {
      ...identity,
      signature:
        signable && anonymousId
          ? await serverTracker().signIdentity(identity.customerId, identity.traits, { anonymousId })
          : null,
    },
  };
}
