import 'server-only';
import { cookies, headers } from 'next/headers';
import { getDb } from '@/lib/db';
import { secureCookies } from '@/lib/common/cookies';
import { serverWriteKey } from '@/lib/common/secrets';
import { env } from '@/lib/env';
import { serverTrackingEndpoint } from '@/lib/tracking/config';
import type { IdentifyTraits } from '@/lib/tracking/identity';
import { createServerTracker, readRequestAnonymousId, type ServerTracker } from '@/lib/tracking/server';
import { readAcquisitionSource } from './acquisition';
import { getSession } from './auth/session';
import { rememberBrowser } from './customer-browsers';
import type { Customer } from './customers';

/**
 * The shop's server-side tracking glue, in one place. Server events take the same road as the browser's:
 * the shop's own ingest (/api/cdp/v1/batch on APP_URL). With CIO_WRITE_KEY set, that pipeline forwards
 * everything to Customer.io with each messageId intact, so browser/server copies still meet and dedupe.
 */
let tracker: ServerTracker | undefined;

export function serverTracker(): ServerTracker {
  const e = env();
  tracker ??= createServerTracker({
    // The secret server key: the pipeline trusts these calls and checks identity signatures derived from it.
    writeKey: serverWriteKey(),
    ...serverTrackingEndpoint(e.appUrl),
    resolveUserId: async () => (await getSession())?.customerId,
    strict: e.trackingStrict,
    consentMode: e.CONSENT_MODE,
    secureCookies: async () => secureCookies({ headers: await headers() }),
  });
  return tracker;
}

/** The origin server-built item URLs use (the browser uses its own location). */
export const trackingOrigin = () => env().appUrl;

/** Traits sent with every identify of a customer, from the stored row (first touch wins, never the latest). */
export function customerTraits(customer: Customer): IdentifyTraits {
  return {
    email: customer.email,
    ...(customer.acquisitionSource ? { acquisition_source: customer.acquisitionSource } : {}),
    first_seen_at: customer.firstSeenAt,
    created_at: customer.createdAt,
  };
}

/**
 * What the browser identifies with: the id and the email, which the identity signature covers. The other traits
 * (acquisition, dates) go from the server only, so a browser is never handed more about a customer than it typed.
 */
export type BrowserIdentity = { customerId: string; traits: IdentifyTraits };
export const browserIdentity = (customer: Customer): BrowserIdentity => ({
  customerId: customer.id,
  traits: { email: customer.email },
});

/**
 * Server half of "the shopper just became known" — call it only when this request's browser IS the customer
 * (customer-browsers.ts): identify with the request's anonymous id cookie (which also hands the browser its
 * identity signature) and remember the browser as theirs. Returns what the browser identifies with.
 */
export async function identifyCustomer(customer: Customer): Promise<BrowserIdentity> {
  await serverTracker().identifyServer(customer.id, customerTraits(customer));
  const anonymousId = await readRequestAnonymousId();
  if (anonymousId) await rememberBrowser(await getDb(), customer.id, anonymousId);
  return browserIdentity(customer);
}

/** The campaign that first brought this browser here, else `fallback` (where the shopper was captured). */
export async function acquisitionSource(fallback: string): Promise<string> {
  return readAcquisitionSource(await cookies()) ?? fallback;
}
