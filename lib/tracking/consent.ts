import { normalizeCookieValue, rawCookieValue, type CookieSource } from './cookies';

/**
 * Consent rule. opt-out: track unless the shopper declined. opt-in: nothing is minted, stored or sent
 * until the shopper accepts. The choice lives in a first-party cookie so proxy.ts can read it too.
 */
export const CONSENT_COOKIE = 'glowlab_consent';
export const CONSENT_MAX_AGE = 60 * 60 * 24 * 365;

// Plain lists, not zod enums: this module is in every storefront page's first load.
export const CONSENT_MODES = ['opt-out', 'opt-in'] as const;
export type ConsentMode = (typeof CONSENT_MODES)[number];
export const CONSENT_CHOICES = ['granted', 'denied'] as const;
export type ConsentChoice = (typeof CONSENT_CHOICES)[number];

export const isConsentMode = (value: unknown): value is ConsentMode =>
  (CONSENT_MODES as readonly unknown[]).includes(value);

export function parseConsentChoice(value: unknown): ConsentChoice | null {
  const choice = typeof value === 'string' ? normalizeCookieValue(value) : value;
  return (CONSENT_CHOICES as readonly unknown[]).includes(choice) ? (choice as ConsentChoice) : null;
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
const notify = () => {
  for (const listener of listeners) listener();
};

export function readDocumentConsent(): ConsentChoice | null {
  return typeof document === 'undefined' ? null : readConsentChoice(document.cookie);
}

export function writeDocumentConsent(choice: ConsentChoice): void {
  const secure = window.location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${CONSENT_COOKIE}=${choice}; Path=/; Max-Age=${CONSENT_MAX_AGE}; SameSite=Lax${secure}`;
  notify();
}

/**
 * The choice may have changed in another tab: the cookie is shared, but nothing tells this page (cookies have no
 * change event in every browser). Subscribers read it again when the page is shown again (visibilitychange) and
 * when the tracking layer finds a Decline it did not know of before a call (browser.ts).
 */
export const recheckConsent = notify;

export function subscribeConsent(listener: () => void): () => void {
  if (!listeners.size) document.addEventListener('visibilitychange', onShown);
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (!listeners.size) document.removeEventListener('visibilitychange', onShown);
  };
}

function onShown() {
  if (document.visibilityState === 'visible') notify();
}
