import type { Cookie as SdkCookie, LocalStorage as SdkLocalStorage } from '@customerio/cdp-analytics-browser';
import { normalizeCookieValue, rawCookieValue } from './cookies';

/** The SDK's storage classes, as its package exports them (./sdk-vendor.ts). */
export type SdkStorageClasses = { Cookie: typeof SdkCookie; LocalStorage: typeof SdkLocalStorage };

const lightened = new WeakSet<object>();

/**
 * Takes the SDK's redundant storage writes out of a page load, keeping what it stores. The SDK (0.5) reads the user
 * and anonymous ids through `getAndSync`, which writes the value it read back to every store, cookies included, at
 * every read: a product page's load wrote `document.cookie` 13 times for 2 ids, and each write makes the next cookie
 * read wait on the browser (its storage work was about a third of its main-thread time there). It also probes
 * localStorage (a write and a delete) for each of the 5 stores it makes, and on a named host it probes the top domain
 * with cookie writes each time a cookie store is made.
 *
 * Here, once per page: a cookie write that would leave `document.cookie` as readers take it (the same value, or a
 * removal of an absent or empty cookie) is skipped after the first write of that cookie on the page, which still renews
 * its expiry as the SDK's writes did; a write of anything else (another value, a cookie someone else changed) goes
 * through as before. localStorage found available stays so, and the top domain is probed once per host. The SDK's
 * reads, and so what it sends, are unchanged. Idempotent.
 */
export function lightenSdkStorage({ Cookie, LocalStorage }: SdkStorageClasses): void {
  if (lightened.has(Cookie)) return;
  lightened.add(Cookie);

  const set = Cookie.prototype.set;
  const renewed = new Set<string>();
  Cookie.prototype.set = function setUnlessUnchanged<T>(this: SdkCookie, key: string, value: T): void {
    if (renewed.has(key) && (typeof value === 'string' || value === null) && cookieValue(key) === value) return;
    set.call(this, key, value);
    renewed.add(key);
  };

  const available = LocalStorage.available.bind(LocalStorage);
  let isAvailable = false;
  LocalStorage.available = () => (isAvailable ||= available());

  const defaults = Object.getOwnPropertyDescriptor(Cookie, 'defaults')?.get;
  if (!defaults) return;
  let known: { host: string; options: ReturnType<typeof defaults> } | null = null;
  Object.defineProperty(Cookie, 'defaults', {
    configurable: true,
    get() {
      if (known?.host !== location.hostname) known = { host: location.hostname, options: defaults.call(Cookie) };
      return { ...known.options };
    },
  });
}

/**
 * A cookie's value as readers take it (URI-decoded; null when absent or empty, which the SDK reads as none too). A
 * spelling this reads differently from the SDK's only makes the write go through, as before.
 */
const cookieValue = (key: string) => normalizeCookieValue(rawCookieValue(document.cookie, key));
