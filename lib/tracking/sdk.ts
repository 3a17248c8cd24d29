'use client';

import type { AnalyticsBrowser } from '@customerio/cdp-analytics-browser';
import type { BrowserTrackingConfig } from './config';
import { ANONYMOUS_ID_COOKIE, USER_ID_COOKIE, normalizeCookieValue, rawCookieValue, readAnonymousId } from './cookies';
import { IDENTITY_SIGNATURE_COOKIE } from './identity-signature-token';
import { logError } from './log';
import { createSourceMiddleware } from './middleware';
import { nextTask } from './sdk-calls';
import { lightenSdkStorage } from './sdk-storage';

// browser.ts's calls, made once the SDK is loaded.
export * from './sdk-calls';
export { forgetStoredUser } from './forget-storage';

/**
 * What browser.ts loads after hydration, once consent allows: the source middleware that checks every call against
 * the plan and the identity rules, the traits check, and then the Customer.io SDK. All of it stays out of the page's
 * first load; browser.ts imports this module dynamically. No zod here: the plan and traits are checked from their
 * data (./plan-check.ts, ./traits.ts), and scripts/size-budget.mjs fails a build whose storefront chunks contain zod.
 */
export type Sdk = AnalyticsBrowser;

/**
 * Creates the SDK, in steps that each run in a task of their own: on a phone's 4× slower CPU, a task over ~12 ms
 * here would be a long one (it was ~22 ms when all of it ran in one). This chunk was evaluated when it arrived; the
 * SDK's own modules are evaluated when their chunks, asked for now, arrive (they are most of the work); the SDK is
 * loaded in the task after. Calls made meanwhile wait in the SDK's buffer, which it sends once loaded, each call in
 * a task of its own. Resolves to `{ analytics }`: a promise of the SDK itself, a thenable, would resolve to its load
 * result.
 */
export async function createSdk(
  cfg: BrowserTrackingConfig,
  isStopped: () => boolean,
  forgetUser: (userId: string) => void,
): Promise<{ analytics: Sdk }> {
  const { AnalyticsBrowser, ...storage } = await import('./sdk-vendor');
  lightenSdkStorage(storage);
  const analytics = new AnalyticsBrowser();
  const middleware = createSourceMiddleware({
    isStopped,
    strict: cfg.strict,
    readSignature: () => normalizeCookieValue(rawCookieValue(document.cookie, IDENTITY_SIGNATURE_COOKIE)),
    privateUrls: cfg.privateUrls,
  });
  void analytics.addSourceMiddleware(middleware as unknown as Parameters<Sdk['addSourceMiddleware']>[0]);
  followOtherTabs(forgetUser, isStopped);
  void nextTask()
    .then(() => {
      if (!isStopped()) seedAnonymousIdFromCookie();
      load(analytics, cfg);
    })
    .catch((error: unknown) => logError('the analytics SDK failed to load', error));
  return { analytics };
}

/**
 * Another tab of this browser forgot the user (logout, or a stale user forgotten at boot): a user id in localStorage
 * replaced by none. This tab's SDK still holds the id in memory, which it reads when storage has none and then writes
 * back to every store: the next shopper's calls went out under the person who logged out, from this tab and, once it
 * had put them back in storage, from the tab they logged out in. `forgetUser` (browser.ts) forgets them here too,
 * going on with the anonymous id the logout rotated (the cookie). A user identified elsewhere needs nothing: the SDK
 * reads localStorage before its memory.
 */
function followOtherTabs(forgetUser: (userId: string) => void, isStopped: () => boolean): void {
  const heldId = (raw: string | null) => {
    const id = normalizeCookieValue(raw);
    return id === '' || id === 'null' ? null : id;
  };
  window.addEventListener('storage', (event) => {
    const forgotten = heldId(event.oldValue);
    if (event.key === USER_ID_COOKIE && !isStopped() && forgotten !== null && heldId(event.newValue) === null)
      forgetUser(forgotten);
  });
}

/**
 * proxy.ts mints the anonymous id as a cookie; the SDK reads localStorage before cookies. Copy the cookie
 * into localStorage (JSON-encoded, the SDK's format) so browser and server events share one id.
 */
function seedAnonymousIdFromCookie(): void {
  const fromCookie = readAnonymousId(document.cookie);
  if (!fromCookie) return;
  try {
    const stored = JSON.stringify(fromCookie);
    if (localStorage.getItem(ANONYMOUS_ID_COOKIE) !== stored) localStorage.setItem(ANONYMOUS_ID_COOKIE, stored);
  } catch {
    // storage blocked: the SDK falls back to the cookie by itself
  }
}

/**
 * A plugin that does nothing but end the task its load runs in: the SDK loads all in one task otherwise (it creates
 * its stores, then registers its plugins, in microtasks), ~11 ms of CPU on the bench machine under Lighthouse, and
 * here ~8 ms, then ~3 ms in the next. A utility plugin: the SDK never runs it on an event.
 */
const taskBreak = {
  name: 'Task break',
  type: 'utility',
  version: '1.0.0',
  isLoaded: () => true,
  load: () => nextTask(),
} as const;

function load(analytics: Sdk, cfg: BrowserTrackingConfig): void {
  analytics.load(
    {
      writeKey: cfg.writeKey,
      plugins: [taskBreak],
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
}
