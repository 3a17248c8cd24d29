import type { AnalyticsBrowser } from '@customerio/cdp-analytics-browser';
import { CARRIED_CALLS_KEY } from './carried-calls-key';
import { USER_ID_COOKIE } from './cookies';

/** Where the SDK keeps the identified user's traits (localStorage only; the id is also a cookie). */
const USER_TRAITS_KEY = 'ajs_user_traits';

/**
 * Deletes the SDK's cookies and localStorage entries: those named in `only`, else every ajs_* one and its queue. In
 * the browser only (its callers run in effects and handlers). Cookies go host-only and on each parent domain: an SDK
 * left to choose sets them on the top-level one.
 */
export function forgetStorage(only?: readonly string[]): void {
  const ours = (name: string) => (only ? only.includes(name) : name.startsWith('ajs_'));
  const parts = location.hostname.split('.');
  const domains = ['', ...parts.slice(0, -1).map((_, i) => `; Domain=.${parts.slice(i).join('.')}`)];
  for (const cookie of document.cookie.split(';')) {
    const name = cookie.split('=')[0]!.trim();
    if (ours(name)) for (const domain of domains) document.cookie = `${name}=; Path=/; Max-Age=0${domain}`;
  }
  try {
    for (const key of Object.keys(localStorage))
      if (ours(key) || (!only && key.startsWith('persisted-queue:'))) localStorage.removeItem(key);
    if (!only) sessionStorage.removeItem(CARRIED_CALLS_KEY);
  } catch {
    // storage blocked: nothing was stored there
  }
}

/** Decline (browser.ts `stopAndForget`): the SDK, if it was created, is reset, then everything stored is deleted. */
export async function forgetAll(sdk: Promise<{ analytics: AnalyticsBrowser }> | null): Promise<void> {
  await sdk?.then(({ analytics }) => analytics.reset()).catch(() => undefined);
  forgetStorage();
}

/** A stale user's id and traits (browser.ts `forgetStaleUser`), before the SDK reads them. */
export const forgetStoredUser = () => forgetStorage([USER_ID_COOKIE, USER_TRAITS_KEY]);
