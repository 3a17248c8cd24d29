import { z } from 'zod';
import { normalizeCookieValue, rawCookieValue, type CookieSource } from './cookies';

/**
 * Consent rule. opt-out: track unless the shopper declined. opt-in: nothing is minted, stored or sent
 * until the shopper accepts. The choice lives in a first-party cookie so proxy.ts can read it too.
 */
export const CONSENT_COOKIE = 'glowlab_consent';
export const CONSENT_MAX_AGE = 60 * 60 * 24 * 365;

export const consentModeSchema = z.enum(['opt-out', 'opt-in']);
export type ConsentMode = z.infer<typeof consentModeSchema>;
export const consentChoiceSchema = z.enum(['granted', 'denied']);
export type ConsentChoice = z.infer<typeof consentChoiceSchema>;

/** Reads a mode from untyped config (e.g. process.env.CONSENT_MODE); anything unknown means the default, opt-out. */
export function parseConsentMode(value: unknown): ConsentMode {
  const parsed = consentModeSchema.safeParse(value);
  return parsed.success ? parsed.data : 'opt-out';
}

export function parseConsentChoice(value: unknown): ConsentChoice | null {
  const parsed = consentChoiceSchema.safeParse(typeof value === 'string' ? normalizeCookieValue(value) : value);
  return parsed.success ? parsed.data : null;
}

/** The whole rule in one place: may we mint ids, store them and send events? */
export function trackingAllowed(mode: ConsentMode, choice: ConsentChoice | null): boolean {
  return mode === 'opt-in' ? choice === 'granted' : choice !== 'denied';
}

export function readConsentChoice(source: CookieSource): ConsentChoice | null {
  return parseConsentChoice(rawCookieValue(source, CONSENT_COOKIE));
}

// Browser side: the banner writes the cookie; React subscribes so every consumer sees the new choice at once.
const listeners = new Set<() => void>();

export function readDocumentConsent(): ConsentChoice | null {
  return typeof document === 'undefined' ? null : readConsentChoice(document.cookie);
}

export function writeDocumentConsent(choice: ConsentChoice): void {
  const secure = window.location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${CONSENT_COOKIE}=${choice}; Path=/; Max-Age=${CONSENT_MAX_AGE}; SameSite=Lax${secure}`;
  for (const listener of listeners) listener();
}

export function subscribeConsent(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
