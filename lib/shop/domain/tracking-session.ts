import { isConsentMode, type ConsentMode } from '@/lib/tracking/consent';
import { isValidAnonymousId } from '@/lib/tracking/cookies';
import { isCanonicalCustomerId } from '@/lib/tracking/identity-guard';

/** GET /api/shop/tracking's answer (lib/shop/server/tracking-session.ts). */
export type TrackingSession = {
  writeKey: string;
  consentMode: ConsentMode;
  strict: boolean;
  /**
   * The anonymous id the request carried, which `identity.signature` is for; null when the browser had none (opt-in,
   * before Accept): the page reads this answer again once the SDK has set one.
   */
  anonymousId: string | null;
  /** A signed-in session; no signature without an anonymous id, or for a browser known as someone else. */
  identity: { customerId: string; traits: { email?: string }; signature: string | null } | null;
  /**
   * The customer this browser is (its session, else the one its anonymous id was last identified as), or null: an
   * SDK holding another user id forgets it (lib/tracking/browser.ts forgetStaleUser).
   */
  knownCustomerId: string | null;
};

/**
 * The answer checked by hand in the browser (this runs in every storefront page, where zod is not loaded):
 * a malformed one is an error, and the page then runs without tracking.
 */
export function parseTrackingSession(value: unknown): TrackingSession {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const id = (typeof v.identity === 'object' ? v.identity : undefined) as Record<string, unknown> | null | undefined;
  const traits = (id && typeof id.traits === 'object' ? id.traits : {}) as Record<string, unknown>;
  const identityOk =
    id === null ||
    (id !== undefined &&
      isCanonicalCustomerId(id.customerId) &&
      (traits.email === undefined || typeof traits.email === 'string') &&
      (id.signature === null || typeof id.signature === 'string'));
  if (
    typeof v.writeKey !== 'string' ||
    v.writeKey === '' ||
    !isConsentMode(v.consentMode) ||
    typeof v.strict !== 'boolean' ||
    !identityOk ||
    !(v.anonymousId === null || isValidAnonymousId(v.anonymousId)) ||
    !(v.knownCustomerId === null || isCanonicalCustomerId(v.knownCustomerId))
  )
    throw new Error('the tracking session answer is malformed');
  return {
    writeKey: v.writeKey,
    consentMode: v.consentMode,
    strict: v.strict,
    anonymousId: v.anonymousId as string | null,
    identity: id
      ? {
          customerId: id.customerId as string,
          traits: traits.email === undefined ? {} : { email: traits.email as string },
          signature: id.signature as string | null,
        }
      : null,
    knownCustomerId: v.knownCustomerId as string | null,
  };
}
