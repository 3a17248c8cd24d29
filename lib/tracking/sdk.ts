'use client';

import { AnalyticsBrowser } from '@customerio/cdp-analytics-browser';
import type { BrowserTrackingConfig } from './config';
import { normalizeCookieValue, rawCookieValue } from './cookies';
import { IDENTITY_SIGNATURE_CONTEXT_KEY, IDENTITY_SIGNATURE_COOKIE } from './identity-signature-token';
import { enforceTraits } from './traits';
import { createSourceMiddleware } from './middleware';

/**
 * What browser.ts loads after hydration, once consent allows: the Customer.io SDK, the source middleware that
 * checks every call against the plan and the identity rules, and the traits check. All of it stays out of the
 * page's first load; browser.ts imports this module dynamically. No zod here: the plan and traits are checked
 * from their data (./plan-check.ts, ./traits.ts), and scripts/size-budget.mjs fails a build whose storefront
 * chunks contain zod.
 */
export type Sdk = AnalyticsBrowser;

export function createSdk(cfg: BrowserTrackingConfig, isStopped: () => boolean): Sdk {
  const analytics = new AnalyticsBrowser();
  const middleware = createSourceMiddleware({
    isStopped,
    strict: cfg.strict,
    readSignature: () => normalizeCookieValue(rawCookieValue(document.cookie, IDENTITY_SIGNATURE_COOKIE)),
  });
  void analytics.addSourceMiddleware(middleware as unknown as Parameters<Sdk['addSourceMiddleware']>[0]);
  analytics.load(
    {
      writeKey: cfg.writeKey,
      // Inline settings: the SDK never fetches its settings from a CDN, and sends only to apiHost.
      cdnSettings: {
        integrations: {
          'Customer.io Data Pipelines': {
            apiKey: cfg.writeKey,
            apiHost: cfg.apiHost,
            protocol: cfg.protocol,
            // keepalive lets a call survive a full-page navigation right after it.
            deliveryStrategy: { strategy: 'standard', config: { keepalive: true } },
          },
        },
        metrics: { sampleRate: 0 },
      },
    },
    {
      initialPageview: false, // the provider sends page calls, one per route
      // ?ajs_uid=… in a URL would identify with an unchecked id; identity goes through the guard only.
      useQueryString: false,
      // Host-only cookies, like the one proxy.ts sets, so there is one ajs_anonymous_id, not two.
      cookie: { domain: undefined, path: '/', sameSite: 'Lax', maxage: 365, secure: cfg.protocol === 'https' },
    },
  );
  return analytics;
}

/** Traits are checked here, with the SDK: a bad trait skips the identify (strict mode: the error is logged). */
export const traitsAllowed = (traits: unknown, strict: boolean) => enforceTraits(traits, strict);

/** The SDK puts unknown option keys into the call's context, where the pipeline looks for the signature. */
export const signatureContext = (signature: string | null | undefined) =>
  signature ? { [IDENTITY_SIGNATURE_CONTEXT_KEY]: signature } : undefined;
