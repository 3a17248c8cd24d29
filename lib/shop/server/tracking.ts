import 'server-only';
import { cookies } from 'next/headers';
import { env } from '@/lib/env';
import { serverTrackingEndpoint } from '@/lib/tracking/config';
import type { IdentifyTraits } from '@/lib/tracking/identity';
import { createServerTracker, type ServerTracker } from '@/lib/tracking/server';
import { readAcquisitionSource } from './acquisition';
import { getSession } from './auth/session';
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
    writeKey: e.CDP_WRITE_KEY,
    ...serverTrackingEndpoint(e.appUrl),
    resolveUserId: async () => (await getSession())?.customerId,
    strict: e.trackingStrict,
    consentMode: e.CONSENT_MODE,
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
 * Server half of "the shopper just became known": identify with the request's anonymous id cookie. Returns
 * the traits so the action can hand them to the browser, which identifies too (its anonymous id continuity).
 */
export async function identifyCustomer(customer: Customer): Promise<IdentifyTraits> {
  const traits = customerTraits(customer);
  await serverTracker().identifyServer(customer.id, traits);
  return traits;
}

/** The campaign that first brought this browser here, else `fallback` (where the shopper was captured). */
export async function acquisitionSource(fallback: string): Promise<string> {
  return readAcquisitionSource(await cookies()) ?? fallback;
}
